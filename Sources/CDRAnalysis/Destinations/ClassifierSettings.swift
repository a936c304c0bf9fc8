import Foundation

extension DestinationClassifier {
    /// The classifier for a rate deck file with its billing increments and an extra risk list file (both
    /// optional): the shipped numbering plan, risk list and coarse rates otherwise.
    public static func configured(
        rates: String?,
        billing: BillingIncrement,
        risk: String?
    ) throws
        -> DestinationClassifier
    {
        var riskList = RiskList.shipped
        if let risk {
            guard let data = FileManager.default.contents(atPath: risk) else {
                throw DataFileError(file: risk, line: 0, "cannot read the risk list")
            }
            try riskList.merge(csv: String(decoding: data, as: UTF8.self), file: risk)
        }
        let deck = try rates.map { try RateDeck(path: $0, billing: billing) }
        return DestinationClassifier(risk: riskList, deck: deck)
    }
}
