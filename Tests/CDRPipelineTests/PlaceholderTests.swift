import Testing

@testable import CDRPipeline

@Suite struct RunPeriodTests {
    @Test("placeholders expand to globs for inputs and to literal text for outputs")
    func placeholders() throws {
        let night = try #require(RunPeriod.night("2026-10-24"))
        #expect(night.inputPattern("x/*-{date}.csv.gz", pipeline: "n") == "x/*-2026-10-24.csv.gz")
        #expect(night.outputPath("out/{pipeline}-{date}.html", pipeline: "n") == "out/n-2026-10-24.html")
        let month = try #require(RunPeriod.month("2026-10"))
        #expect(month.inputPattern("x/*-{date}.csv", pipeline: "m") == "x/*-2026-10-[0-3][0-9].csv")
        #expect(month.outputPath("r-{period}.md", pipeline: "m") == "r-2026-10.md")
        #expect(RunPeriod.night("2026-02-30") == nil)
        #expect(RunPeriod.month("2026-13") == nil)
    }
}
