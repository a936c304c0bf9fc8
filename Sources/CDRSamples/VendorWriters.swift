import CDRModel

/// The generator's writers for the vendor formats. Each writes the sample's calls the way the platform logs them,
/// with its quirks: several rows for one call (FreeSWITCH A and B legs, Cisco UCM transfer sub-calls, BroadWorks
/// originating and terminating records, Twilio parent and child calls, Genesys participant rows), local
/// wall-clock stamps, epochs, and the platform's words for directions and outcomes. Twilio and Genesys Cloud logs
/// carry no extension-to-extension calls, so internal calls are left out of those two formats.
extension SampleWriter {
    static func vendorHeader(_ format: SampleFormat) -> String {
        switch format {
        case .cucm:
            return """
                "cdrRecordType","globalCallID_callManagerId","globalCallID_callId","origLegCallIdentifier","dateTimeOrigination","origIpAddr","callingPartyNumber","origCause_value","destLegIdentifier","destCause_value","originalCalledPartyNumber","finalCalledPartyNumber","dateTimeConnect","dateTimeDisconnect","lastRedirectDn","duration","origDeviceName","destDeviceName","authCodeDescription"
                INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,INTEGER,VARCHAR(50),INTEGER,INTEGER,INTEGER,VARCHAR(50),VARCHAR(50),INTEGER,INTEGER,VARCHAR(50),INTEGER,VARCHAR(129),VARCHAR(129),VARCHAR(50)

                """
        case .twilio:
            return "sid,date_created,parent_call_sid,account_sid,from,to,direction,status,start_time,end_time,duration,"
                + "price,price_unit,trunk_sid\n"
        case .genesys:
            return "conversationId,conversationStart,conversationEnd,originatingDirection,purpose,userId,ani,dnis,"
                + "sessionDnis,edgeId,provider,mediaType,disconnectType,q850ResponseCodes,sipResponseCodes,queueId,tTalk\n"
        case .broadworks:
            return "AS01-0000000000,SampleSP,Start,cdrscan sample\n"
        case .acmePBX:
            return "Ruf-ID;Beginn;Ende;Dauer;Richtung;Von;Nach;Status;Leitung;Nebenstelle\n"
        default:
            return ""
        }
    }

    static let freeswitchCauses: [Disposition: String] = [
        .answered: "NORMAL_CLEARING", .noAnswer: "NO_ANSWER", .busy: "USER_BUSY", .failed: "UNALLOCATED_NUMBER",
        .congestion: "NORMAL_CIRCUIT_CONGESTION", .cancel: "ORIGINATOR_CANCEL",
    ]
    /// Q.850 causes of unanswered calls (a caller who gives up clears normally: 16).
    static let q850: [Disposition: Int] = [
        .answered: 16, .noAnswer: 19, .busy: 17, .failed: 1, .congestion: 34, .cancel: 16,
    ]
    static let twilioStatus: [Disposition: String] = [
        .answered: "completed", .noAnswer: "no-answer", .busy: "busy", .failed: "failed", .congestion: "failed",
        .cancel: "canceled",
    ]

    /// One call in a vendor format; `index` numbers the calls of the site (for ids).
    static func vendorLine(
        _ c: GenCall,
        _ site: SampleSite,
        _ format: SampleFormat,
        _ b: inout LineBuffer,
        zone: ZoneResolver,
        index: Int
    ) {
        let end = c.start + Int64(c.duration)
        let answer: Int64? = c.ring >= 0 ? c.start + Int64(c.ring) : nil
        let talkMs: Int64 = answer.map { end - $0 } ?? 0
        let trunk = c.trunk >= 0 ? site.trunks[Int(c.trunk)].name : ""
        let id = "\(site.name)\(index)"
        switch format {
        case .freeswitch:
            // `presented`: the B leg of an outbound call, as FreeSWITCH writes it when the dialplan sets the caller ID
            // the carrier shows (the extension's DID) and does not export the account code to the B leg.
            func leg(
                uuid: String,
                bleg: String,
                context: String,
                gateway: String,
                start: Int64,
                presented: Bool = false
            ) {
                // caller_id_name (FreeSWITCH does not escape quotes in it), number, destination, context
                let name =
                    c.caller.form == .short
                    ? (index % 97 == 0 ? "Conf \"A\" Room \(c.caller.digits)" : "Ext \(c.caller.digits)")
                    : (c.caller.form == .hidden ? "Anonymous" : "")
                b.add("\"\(presented ? "" : name)\",\"")
                if presented && c.caller.form == .short {
                    b.add("+\(site.didPrefix)")
                    b.int(Int64(c.caller.digits))
                } else {
                    b.number(c.caller, site, hidden: "anonymous")
                }
                b.add("\",\"")
                b.number(c.callee, site, hidden: "")
                b.add("\",\"\(context)\",\"")
                b.time(zone.localMs(fromUTC: start), separator: 0x20, zulu: false)
                b.add("\",\"")
                if let answer { b.time(zone.localMs(fromUTC: answer), separator: 0x20, zulu: false) }
                b.add("\",\"")
                b.time(zone.localMs(fromUTC: end), separator: 0x20, zulu: false)
                b.add("\",\"")
                b.int((end - start) / 1000)
                b.add("\",\"")
                b.int(talkMs / 1000)
                b.add("\",\"\(freeswitchCauses[c.disposition]!)\",\"\(uuid)\",\"\(bleg)\",\"")
                if c.account >= 0 && c.direction != .inbound && !presented { b.int(Int64(c.account)) }
                b.add("\",\"PCMA\",\"PCMA\",\"\(gateway)\",\"")
                b.int(start / 1000)
                b.add("\",\"")
                b.int((answer ?? 0) / 1000)
                b.add("\",\"")
                b.int(end / 1000)
                b.add("\"\n")
            }
            let a = "\(id)-a"
            switch c.direction {
            case .outbound:
                // The A-leg from the phone knows no gateway; the B-leg to the gateway does.
                leg(uuid: a, bleg: "\(id)-b", context: "default", gateway: "", start: c.start)
                leg(uuid: "\(id)-b", bleg: "", context: "default", gateway: trunk, start: c.start, presented: true)
            case .inbound:
                leg(uuid: a, bleg: answer != nil ? "\(id)-b" : "", context: "public", gateway: trunk, start: c.start)
                if let answer { leg(uuid: "\(id)-b", bleg: "", context: "default", gateway: "", start: answer) }
            case .internal_:
                leg(uuid: a, bleg: "", context: "default", gateway: "", start: c.start)
            }
        case .cucm:
            func phone(_ ext: UInt64) -> String {
                let hex = String(ext &* 2_654_435_761 & 0xFFFF_FFFF_FFFF, radix: 16, uppercase: true)
                return "SEP" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
            }
            let caller = c.caller.form == .short ? c.caller.digits : 0
            let callee = c.callee.form == .short ? c.callee.digits : 0
            let (orig, dest): (String, String) =
                switch c.direction {
                case .outbound: (phone(UInt64(max(c.account, 0))), trunk)
                case .inbound: (trunk, phone(callee))
                case .internal_: (phone(caller), phone(callee))
                }
            let cause = q850[c.disposition]!
            let (origCause, destCause) =
                c.disposition == .answered || c.disposition == .cancel ? (16, 0) : (0, cause)
            // One call manager per site, so that call ids of different sites never meet.
            let manager = Int(site.name.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFF) + 1
            func row(
                callId: Int,
                start: Int64,
                answer: Int64?,
                end: Int64,
                origCause: Int,
                calleeSpec: NumberSpec,
                dest: String
            ) {
                b.add("1,\(manager),\(callId),\(callId &* 2),")
                b.int(start / 1000)
                b.add(",0,\"")
                b.number(c.caller, site, hidden: "")
                b.add("\",\(origCause),\(callId &* 2 + 1),\(destCause),\"")
                b.number(calleeSpec, site, hidden: "")
                b.add("\",\"")
                b.number(calleeSpec, site, hidden: "")
                b.add("\",")
                b.int((answer ?? 0) / 1000)
                b.byte(0x2C)
                b.int(end / 1000)
                b.add(",\"\",")
                b.int(answer.map { (end - $0) / 1000 } ?? 0)
                b.add(",\"\(orig)\",\"\(dest)\",\"")
                if c.account >= 0 && c.direction == .outbound { b.int(Int64(c.account)) }
                b.add("\"\n")
            }
            let callId = index + 1
            if c.direction == .internal_, let answer, end - answer >= 60_000, index % 10 == 0 {
                // A transfer: two sub-calls of one call (same global call id), split at the transfer.
                let mid = answer + (end - answer) / 2000 * 1000
                row(
                    callId: callId,
                    start: c.start,
                    answer: answer,
                    end: mid,
                    origCause: 393_216,
                    calleeSpec: c.callee,
                    dest: dest
                )
                row(callId: callId, start: mid, answer: mid, end: end, origCause: 16, calleeSpec: c.callee, dest: dest)
            } else {
                row(
                    callId: callId,
                    start: c.start,
                    answer: answer,
                    end: end,
                    origCause: origCause,
                    calleeSpec: c.callee,
                    dest: dest
                )
            }
        case .broadworks:
            func compact(_ ms: Int64) {
                let secs = CivilTime.floorDiv(ms, 1000)
                let day = CivilTime.floorDiv(secs, 86_400)
                let sod = Int(secs - day * 86_400)
                let (y, m, d) = CivilTime.date(days: day)
                b.add(String(y))
                b.two(m)
                b.two(d)
                b.two(sod / 3600)
                b.two(sod / 60 % 60)
                b.two(sod % 60)
                b.add(".")
                b.add(String(format3(Int(ms - secs * 1000))))
            }
            func record(_ direction: String, user: String, local: String, remote: String, route: String) {
                b.add("AS01-\(id)-\(direction.prefix(1)),SampleSP,Normal,\(user),+\(site.didPrefix)0,\(direction),")
                b.number(c.caller, site, hidden: "anonymous")
                b.add(",Public,")
                b.number(c.callee, site, hidden: "")
                b.byte(0x2C)
                compact(c.start)
                b.add(",1-000000,\(answer != nil ? "Yes" : "No"),")
                if let answer { compact(answer) }
                b.byte(0x2C)
                compact(end)
                let cause = q850[c.disposition]!
                b.add(",0\(cause < 10 ? "0" : "")\(cause),VoIP,,,,,,,,\(route),,,,,,,,,,")
                if c.account >= 0 && c.direction != .inbound { b.int(Int64(c.account)) }
                b.add(",,,,,,,,,,,\(local),\(remote)\n")
            }
            let user = c.account >= 0 ? String(c.account) : (c.callee.form == .short ? String(c.callee.digits) : "")
            switch c.direction {
            case .outbound: record("Originating", user: user, local: "\(id)L", remote: "\(id)R", route: trunk)
            case .inbound: record("Terminating", user: user, local: "\(id)L", remote: "\(id)R", route: trunk)
            case .internal_:
                record("Originating", user: user, local: "\(id)L", remote: "\(id)R", route: "")
                record("Terminating", user: String(c.callee.digits), local: "\(id)R", remote: "\(id)L", route: "")
            }
        case .twilio:
            guard c.direction != .internal_ else { return }
            func time(_ ms: Int64, rfc: Bool) {
                if rfc {
                    b.byte(0x22)
                    b.add(rfc2822(ms))
                    b.byte(0x22)
                } else {
                    b.time(ms, separator: 0x54, zulu: true)
                }
            }
            func e164(_ n: NumberSpec) -> String {
                switch n.form {
                case .hidden: return "anonymous"
                case .short: return "client:\(n.digits)"
                default: return "+\(n.digits)"
                }
            }
            let rfc = index % 2 == 0
            let sid = "CA" + id
            b.add("\(sid),")
            time(c.start, rfc: true)
            b.add(",,ACsample,\(e164(c.caller)),\(e164(c.callee)),")
            b.add(c.direction == .outbound ? "trunking-terminating," : "trunking-originating,")
            b.add("\(twilioStatus[c.disposition]!),")
            time(c.start, rfc: rfc)
            b.byte(0x2C)
            time(end, rfc: rfc)
            b.byte(0x2C)
            b.int(talkMs / 1000)
            b.add(",,USD,\(trunk)\n")
            if c.direction == .inbound, let answer {
                // The <Dial> to the agent's client: a child call of the inbound one.
                b.add("\(sid)c,")
                time(answer, rfc: true)
                b.add(
                    ",\(sid),ACsample,\(e164(c.callee)),client:agent\(c.callee.digits % 10000),outbound-dial,completed,"
                )
                time(answer, rfc: rfc)
                b.byte(0x2C)
                time(end, rfc: rfc)
                b.byte(0x2C)
                b.int(talkMs / 1000)
                b.add(",,USD,\n")
            }
        case .genesys:
            guard c.direction != .internal_ else { return }
            func tel(_ n: NumberSpec) -> String {
                switch n.form {
                case .hidden: return ""
                case .short: return "tel:\(n.digits)"
                default: return "tel:+\(n.digits)"
                }
            }
            let cause = c.disposition == .cancel ? 31 : q850[c.disposition]!
            func row(purpose: String, user: String) {
                b.add("\(id),")
                b.time(c.start, separator: 0x54, zulu: true)
                b.byte(0x2C)
                b.time(end, separator: 0x54, zulu: true)
                b.add(",\(c.direction == .outbound ? "outbound" : "inbound"),\(purpose),\(user),")
                b.add("\(tel(c.caller)),\(tel(c.callee)),\(tel(c.callee)),\(trunk),Edge,voice,peer,\(cause),,,")
                b.int(talkMs / 1000)
                b.byte(0x0A)
            }
            let ext = c.account >= 0 ? String(c.account) : ""
            if c.direction == .outbound {
                row(purpose: "agent", user: ext)
                row(purpose: "external", user: "")
            } else {
                row(purpose: "customer", user: "")
                if answer != nil { row(purpose: "agent", user: String(c.callee.digits % 10000)) }
            }
        case .acmePBX:
            // Ruf-ID;Beginn;Ende;Dauer;Richtung;Von;Nach;Status;Leitung;Nebenstelle: wall-clock times of the site,
            // the talk time in seconds, German words (``acmeMapping``). One call in 40 is written twice, as this
            // PBX repeats a row in the next export when the call ended around the export's cut: one call, one
            // record, by its Ruf-ID.
            let start = b.bytes.count
            b.add("\(id);")
            b.germanTime(zone.localMs(fromUTC: c.start))
            b.byte(0x3B)
            b.germanTime(zone.localMs(fromUTC: end))
            b.byte(0x3B)
            b.int(talkMs / 1000)
            b.add(c.direction == .inbound ? ";EIN;" : (c.direction == .outbound ? ";AUS;" : ";INTERN;"))
            b.number(c.caller, site, hidden: "")
            b.byte(0x3B)
            b.number(c.callee, site, hidden: "")
            b.add(";\(acmeStatus[c.disposition]!);\(trunk);")
            if c.account >= 0 && c.direction != .inbound { b.int(Int64(c.account)) }
            b.byte(0x0A)
            if index % 40 == 7 { b.bytes.append(contentsOf: b.bytes[start...]) }
        case .canonical, .asterisk:
            break
        }
    }

    static let acmeStatus: [Disposition: String] = [
        .answered: "OK", .noAnswer: "KEINE ANTWORT", .busy: "BESETZT", .failed: "FEHLER", .congestion: "UEBERLAST",
        .cancel: "ABBRUCH",
    ]

    /// The custom mapping the generator's `acme-pbx` files are read with: the text of the shipped example,
    /// `sample-cdrs/handwritten/acme-pbx.mapping.yaml` (a test keeps the two the same).
    public static let acmeMapping = """
        # A custom mapping: the German "ACME" PBX export, semicolon-separated, local times, German words.
        name: acme-pbx
        header: true
        delimiter: ";"
        quotes: strict
        time_format: "%d.%m.%Y %H:%M:%S"
        time_zone: site                 # the PBX writes its site's wall-clock time
        duration_is_talk: true          # "Dauer" is talk time
        columns:
          start: Beginn
          end: Ende
          duration: Dauer
          direction: Richtung
          caller: Von
          callee: Nach
          disposition: Status
          trunk: Leitung
          account: Nebenstelle
        direction_values: {EIN: inbound, AUS: outbound, INTERN: internal}
        disposition_values:
          {OK: answered, BESETZT: busy, KEINE ANTWORT: no_answer, FEHLER: failed, UEBERLAST: congestion, ABBRUCH: cancel}
        leg_key: [Ruf-ID]

        """

    static func format3(_ v: Int) -> String { v < 10 ? "00\(v)" : (v < 100 ? "0\(v)" : "\(v)") }

    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Wed, 04 Mar 2026 14:15:02 +0000`.
    static func rfc2822(_ ms: Int64) -> String {
        let t = LineBuffer.civil(ms)
        var b = LineBuffer(capacity: 32)
        b.add("\(weekdays[Int(((t.day % 7) + 7) % 7)]), ")
        b.two(t.d)
        b.add(" \(monthNames[t.m - 1]) \(t.y) ")
        b.clock(t.second)
        b.add(" +0000")
        return String(decoding: b.bytes, as: UTF8.self)
    }
}
