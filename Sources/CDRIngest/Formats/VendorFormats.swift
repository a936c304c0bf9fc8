import CDRModel

/// The vendor formats cdrscan reads as ``MappedFormat`` values. Each one's facts and quirks are documented in
/// `docs/formats.md`.
public enum VendorFormats {
    /// Cisco Unified CM CDR flat files: a header of names, a line of SQL types, then one row per call (or
    /// sub-call of a transfer). Times are UTC epoch seconds; `dateTimeConnect` is 0 when never connected and
    /// `duration` is connected time only. The trunk is whichever of `origDeviceName`/`destDeviceName` is a
    /// trunk or gateway (in the inventory, or not a phone: `SEP…`, `CSF…`, …): it came in on the first, went out
    /// on the second. The called number is `finalCalledPartyNumber` (what was finally presented; after
    /// forwarding it differs from `originalCalledPartyNumber`, which is the fallback). Sub-calls with the same
    /// `globalCallID_callManagerId` + `globalCallID_callId` are one call; CMR rows (`cdrRecordType` 2) are not
    /// calls.
    public static let cucm: MappedFormat = {
        var f = MappedFormat(name: "cucm")
        f.skipLinesAfterHeader = 1
        f.columns = [
            .recordType: [.name("cdrRecordType")],
            .start: [.name("dateTimeOrigination")],
            .answer: [.name("dateTimeConnect")],
            .end: [.name("dateTimeDisconnect")],
            .duration: [.name("duration")],
            .caller: [.name("callingPartyNumber")],
            .callee: [.name("finalCalledPartyNumber"), .name("originalCalledPartyNumber")],
            .cause: [.name("destCause_value"), .name("origCause_value")],
            .inboundDevice: [.name("origDeviceName")],
            .outboundDevice: [.name("destDeviceName")],
            .account: [.name("authCodeDescription"), .name("clientMatterCode")],
        ]
        f.timeFormat = .epochSeconds
        f.durationIsTalk = true
        f.directionRule = .trunkSides
        f.callRecordTypes = ["1"]
        f.legKey = [.name("globalCallID_callManagerId"), .name("globalCallID_callId")]
        f.required = [.recordType, .start, .end, .caller, .callee, .inboundDevice, .outboundDevice]
        return f
    }()

    /// Cisco BroadWorks accounting CDRs: positional fields (1-based in the spec: 3 type, 6 direction, 7 calling
    /// number, 9 called number, 10 start, 12 answer indicator, 13 answer, 14 release, 15 termination cause, 24
    /// route, 34 account code, 45/46 local/remote call id, 135 trunk group name). Times `yyyymmddhhmmss.mmm` in
    /// UTC (the user's zone is in `userTimeZone`; business hours use the site's zone). Only `Normal` records are
    /// calls; a leading line that is not one is skipped. A call between two BroadWorks users has an Originating
    /// and a Terminating record tied by their call ids: one call.
    public static let broadworks: MappedFormat = {
        var f = MappedFormat(name: "broadworks")
        f.hasHeader = false
        f.csv = CSVOptions(lenient: true)
        f.columns = [
            .recordType: [.position(2)],
            .direction: [.position(5)],
            .caller: [.position(6)],
            .callee: [.position(8)],
            .start: [.position(9)],
            .answered: [.position(11)],
            .answer: [.position(12)],
            .end: [.position(13)],
            .cause: [.position(14)],
            .trunk: [.position(134), .position(23)],
            .account: [.position(33), .position(3)],
        ]
        f.timeFormat = .compact
        f.directionRule = .originatingTerminating
        f.callRecordTypes = ["normal"]
        f.legKey = [.position(44)]
        f.legPeer = .position(45)
        f.required = []
        return f
    }()

    /// Twilio call logs (the Calls resource's field names, as exports write them; `Start Time` and `start_time`
    /// are the same column). Times RFC 2822 or ISO 8601 in UTC. `duration` is the talked time. Directions
    /// `inbound`/`trunking-originating` are inbound, `outbound-api`/`outbound-dial`/`trunking-terminating`
    /// outbound. Child legs (`parent_call_sid`) merge into their parent; a child that goes out through a trunk makes
    /// the call outbound. The trunk is `trunk_sid`.
    public static let twilio: MappedFormat = {
        var f = MappedFormat(name: "twilio")
        f.columns = [
            .start: [.name("start_time"), .name("date_created")],
            .end: [.name("end_time")],
            .duration: [.name("duration")],
            .caller: [.name("from"), .name("from_formatted")],
            .callee: [.name("to"), .name("to_formatted")],
            .direction: [.name("direction")],
            .disposition: [.name("status")],
            .trunk: [.name("trunk_sid")],
        ]
        f.timeFormat = .auto
        f.durationIsTalk = true
        f.directionWords = [
            "trunking-originating": .inbound, "trunking-terminating": .outbound, "outbound-api": .outbound,
            "outbound-dial": .outbound,
        ]
        f.legKey = [.name("sid")]
        f.legParent = .name("parent_call_sid")
        f.required = [.start, .caller, .callee, .direction, .disposition]
        return f
    }()

    /// Genesys Cloud conversation exports flattened to one row per participant session (`conversationId`,
    /// `conversationStart`, `conversationEnd`, `originatingDirection`, `ani`, `dnis`, `edgeId`,
    /// `q850ResponseCodes`, …). Times ISO 8601: with `Z` they are UTC; without an offset they are the workspace's
    /// zone, read as the site's. Rows of one conversation are one call. The trunk is the edge (`edgeId`); the
    /// export has no answer instant, so a session cleared normally (Q.850 16) counts as answered from the start.
    public static let genesys: MappedFormat = {
        var f = MappedFormat(name: "genesys")
        f.columns = [
            .start: [.name("conversationStart")],
            .end: [.name("conversationEnd")],
            .talk: [.name("tTalk"), .name("talkSeconds")],
            .caller: [.name("ani")],
            .callee: [.name("dnis"), .name("sessionDnis")],
            .direction: [.name("originatingDirection"), .name("direction")],
            .cause: [.name("q850ResponseCodes")],
            .trunk: [.name("edgeId")],
            .account: [.name("userId")],
            .purpose: [.name("purpose")],
        ]
        f.timeFormat = .iso
        f.timesAreUTC = false
        f.normalClearingIsAnswered = true
        f.legKey = [.name("conversationId")]
        f.required = [.start, .end, .caller, .callee, .direction]
        return f
    }()

    /// FreeSWITCH `mod_cdr_csv` templates, told apart by their number of fields (no header): the built-in
    /// `default` and `sql` (13), `example` (15), `asterisk` (18) and `cdrscan` (19: `example` plus
    /// `sip_gateway_name`, `start_epoch`, `answer_epoch`, `end_epoch`; see docs/formats.md). Stamps are the
    /// server's wall clock (the site's zone); epochs are UTC.
    static func freeswitch(fields: Int) -> MappedFormat? {
        var f = MappedFormat(name: "freeswitch")
        f.hasHeader = false
        f.csv = CSVOptions(lenient: true)
        f.timesAreUTC = false
        f.directionRule = .context
        f.required = []
        switch fields {
        case 13, 15, 19:
            f.columns = [
                .caller: [.position(1)], .callee: [.position(2)], .context: [.position(3)], .start: [.position(4)],
                .answer: [.position(5)], .end: [.position(6)], .duration: [.position(7)], .talk: [.position(8)],
                .cause: [.position(9)], .account: [.position(12)],
            ]
            f.legKey = [.position(10)]
            f.legPeer = .position(11)
            if fields == 19 {
                f.columns[.trunk] = [.position(15)]
                f.columns[.start] = [.position(16)]
                f.columns[.answer] = [.position(17)]
                f.columns[.end] = [.position(18)]
                f.timeFormat = .epochSeconds
                f.timesAreUTC = true
            }
        case 18:
            f.columns = [
                .account: [.position(0)], .caller: [.position(1)], .callee: [.position(2)], .context: [.position(3)],
                .trunk: [.position(6), .position(5)], .start: [.position(9)], .answer: [.position(10)],
                .end: [.position(11)], .duration: [.position(12)], .talk: [.position(13)], .cause: [.position(14)],
            ]
            f.legKey = [.position(16)]
        default: return nil
        }
        return f
    }

    /// The vendor formats with a header, in detection order.
    public static let headed: [MappedFormat] = [cucm, twilio, genesys]
    /// Every vendor format read by ``MappedReader`` directly.
    public static let all: [MappedFormat] = [cucm, broadworks, twilio, genesys]
}
