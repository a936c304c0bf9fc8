/// A count and its noun, the noun in the plural unless the count is one (`counted(1, "call")` is "1 call",
/// `counted(3, "call")` "3 calls"): incident summaries and reports are read by people.
public func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
}
