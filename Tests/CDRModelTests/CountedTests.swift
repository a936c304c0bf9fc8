import CDRModel
import Testing

@Suite struct CountedTests {
    @Test(arguments: [
        (0, "call", "0 calls"), (1, "call", "1 call"), (2, "call", "2 calls"), (1, "such call", "1 such call"),
        (1, "more finding", "1 more finding"), (12, "more finding", "12 more findings"),
    ])
    func nounAgreesWithCount(n: Int, noun: String, expected: String) {
        #expect(counted(n, noun) == expected)
    }

    @Test func irregularPlural() {
        #expect(counted(1, "entry", plural: "entries") == "1 entry")
        #expect(counted(3, "entry", plural: "entries") == "3 entries")
    }
}
