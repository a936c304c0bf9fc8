#compdef cdrscan

__cdrscan_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__cdrscan_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __cdrscan_complete "${completions[@]:0:-1}"
    fi
}

__cdrscan_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_cdrscan() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'ingest:Read CDR files and print what was read: rows, calls kept, rejects by reason, time span, trunks.'
            'export:Convert CDR files of any supported format to cdrscan'\''s canonical CSV.'
            'generate:Write a deterministic sample organization'\''s CDRs with injected fraud scenarios and a truth file.'
            'capacity:Trunk capacity review: exact concurrency, busy hour, Erlang B against contracted channels.'
            'erlang:Erlang B calculator for what-if questions about trunk sizing.'
            'number:Show what cdrscan knows about phone numbers: E.164 form, country, class, risk tier and rate.'
            'scan:One-shot scan: ingest, every detector and the capacity review; prints the incidents.'
            'report:Build the HTML and Markdown reports from a results database, without re-reading CDRs.'
            'run:Run a pipeline file: the nightly job, the monthly capacity review, an investigation.'
            'validate:Check pipeline files without running them.'
            'calls:List the calls that match filters: time range, number, account, trunk, direction, class, ….'
            'trace:Every call to or from a number or prefix, in site-local and UTC time, with class and cost.'
            'top:Who and what used the service most: by country, account, trunk, destination, hour, ….'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        ingest|export|generate|capacity|erlang|number|scan|report|run|validate|calls|trace|top|help)
            "_cdrscan_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_cdrscan_ingest() {
    local -i ret=1
    local -ar arg_specs=(
        '*:files:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '--json[Print the summary as one JSON object.]'
        '--destinations[Also classify every called number (class, country, risk tier) and print calls per class and country.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_export() {
    local -i ret=1
    local -ar arg_specs=(
        '*:files:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '(-o --output)'{-o,--output}'[Output file (default\: standard output).]:output:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_generate() {
    local -i ret=1
    local -ar arg_specs=(
        '--seed[Random seed; the same seed always writes the same files.]:seed:'
        '--calls[Expected number of ordinary calls (scenarios come on top).]:calls:'
        '--days[Days in the period.]:days:'
        '--start[First local day of the period (YYYY-MM-DD).]:start:'
        '--format[Output format\: canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys or acme-pbx (a custom mapping\: its acme-pbx.mapping.yaml is written too, read it with --mapping).]:format:'
        '--layout[daily (one file per site and local day) or single (one file).]:layout:'
        '--gzip[Compress the CDR files with gzip.]'
        '--clean[Inject no scenarios (a clean period).]'
        '--scenarios[Comma-separated scenarios to inject (default\: all).]:scenarios:'
        '--out[Output directory (created if missing).]:out:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_capacity() {
    local -i ret=1
    local -ar arg_specs=(
        '*:files:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '--month[Review one calendar month (YYYY-MM) in each site'\''s local time; default\: the whole data span.]:month:'
        '--gos[Target grade of service (blocking probability), e.g. 0.01 for 1%.]:gos:'
        '--retry[Share of blocked callers who retry (Extended Erlang B), 0...1.]:retry:'
        '--json[Print the review as JSON.]'
        '--timings[Print how long ingest and the review took to standard error.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_erlang() {
    local -i ret=1
    local -ar arg_specs=(
        '--channels[Number of channels (trunk lines).]:channels:'
        '--traffic[Offered traffic in Erlangs (busy-hour call-seconds / 3600).]:traffic:'
        '--gos[Grade of service\: the blocking probability, e.g. 0.01.]:gos:'
        '--retry[Share of blocked callers who retry (Extended Erlang B), 0...1.]:retry:'
        '--json[Print inputs and result as JSON numbers.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_number() {
    local -i ret=1
    local -ar arg_specs=(
        '*:numbers:'
        '--site[Site whose dialing plan applies (needs --inventory).]:site:'
        '--country[Country whose dialing plan applies (ISO 3166-1 alpha-2).]:country:'
        '--inventory[Inventory YAML with the sites.]:inventory:'
        '--rates[Rate deck CSV\: prefix,rate_per_minute\[,currency,description\].]:rates:'
        '--billing[Billing increments for the rate deck, first/next seconds\: 60/60, 1/1, 30/6.]:billing:'
        '--risk[Extra risk list CSV\: prefix,tier,reason\[,source\]; tier high, medium, or allow (never alert).]:risk:'
        '--json[Print JSON.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_scan() {
    local -i ret=1
    local -ar arg_specs=(
        '*:files:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '--rates[Rate deck CSV\: prefix,rate_per_minute\[,currency,description\].]:rates:'
        '--billing[Billing increments for the rate deck, first/next seconds\: 60/60, 1/1, 30/6.]:billing:'
        '--risk[Extra risk list CSV\: prefix,tier,reason\[,source\]; tier high, medium, or allow (never alert).]:risk:'
        '--since[Only report windows from this local date on (YYYY-MM-DD, UTC midnight); earlier calls are history.]:since:'
        '--fail-on[Exit with status 2 when an incident of this severity or worse is found\: low, medium, high, critical.]:fail-on:'
        '--json[Print incidents and alerts as JSON.]'
        '--db[SQLite results file to write (created and migrated as needed).]:db:'
        '--wait[Wait up to this many seconds for another run holding the --db results file (default\: do not wait).]:seconds:'
        '--html[Write the HTML report here (one self-contained file).]:html:'
        '--markdown[Write the Markdown report here.]:markdown:'
        '--timings[Print how long each stage took to standard error.]'
        '--history[Keep the calls in --db as history and use the stored history as the baseline (nightly runs read only new CDRs).]'
        '--lookback-days[Days of history kept and used with --history.]:lookback-days:'
        '--detectors[Detector settings YAML (snake_case DetectorConfig keys, e.g. fast_attempts\: 4); see docs/detectors.md.]:detectors:'
        '--calibrate[Report only\: print how many alerts each detector would raise with its thresholds scaled, then stop.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_report() {
    local -i ret=1
    local -ar arg_specs=(
        '--db[SQLite results file written by scan or run.]:db:'
        '--run[Run id (default\: the latest finished run).]:run:'
        '--night[The latest run whose period covers this local date (YYYY-MM-DD).]:night:'
        '--month[The latest run whose period covers this month (YYYY-MM).]:month:'
        '--html[Write the HTML report here.]:html:'
        '--markdown[Write the Markdown report here.]:markdown:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_run() {
    local -i ret=1
    local -ar arg_specs=(
        ':pipeline:'
        '--night[Run for this night (local date YYYY-MM-DD) instead of the pipeline'\''s default period.]:night:'
        '--month[Run for this month (YYYY-MM) instead of the pipeline'\''s default period.]:month:'
        '--dry-run[Print what would be read and written, then stop.]'
        '--wait[Wait up to this many seconds for another run holding the results file (default\: do not wait).]:seconds:'
        '--threads[Threads for reading large plain files\: 2 or 1.]:threads:'
        '--json[Print the incidents as JSON.]'
        '*'{--verbose,-v}'[More log lines\: -v for the run'\''s steps, -vv for debugging.]'
        '(--quiet -q)'{--quiet,-q}'[Only errors on standard error.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_validate() {
    local -i ret=1
    local -ar arg_specs=(
        '*:pipelines:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_calls() {
    local -i ret=1
    local -ar arg_specs=(
        '*:files:'
        '--db[Read the calls kept in this results file instead of CDR files.]:db:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '--rates[Rate deck CSV\: prefix,rate_per_minute\[,currency,description\].]:rates:'
        '--billing[Billing increments for the rate deck, first/next seconds\: 60/60, 1/1, 30/6.]:billing:'
        '--risk[Extra risk list CSV\: prefix,tier,reason\[,source\]; tier high, medium, or allow (never alert).]:risk:'
        '--since[Calls that started at or after this date or UTC time (2026-10-24, 2026-10-24T21\:00Z).]:since:'
        '--until[Calls that started before this date or UTC time.]:until:'
        '--number[A number or prefix, calling or called (+881\: E.164 only; 2042 or 0030\: any form, as dialled too).]:number:'
        '--caller[A prefix of the calling number.]:caller:'
        '--callee[A prefix of the called number.]:callee:'
        '--account[An account or extension.]:account:'
        '--trunk[A trunk.]:trunk:'
        '--at-site[A site.]:at-site:'
        '--direction[inbound, outbound or internal.]:direction:'
        '--disposition[answered, no_answer, busy, failed, congestion or cancel.]:disposition:'
        '--class[Destination class\: international, premium, satellite, domestic_mobile, toll_free, …]:class:'
        '--to-country[Country of the called number (ISO code, e.g. LV).]:to-country:'
        '--min-talk[Minimum talk time in seconds.]:min-talk:'
        '--output[table (aligned), csv (spreadsheet-safe) or json.]:output:'
        '--limit[Print at most this many rows.]:limit:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_trace() {
    local -i ret=1
    local -ar arg_specs=(
        ':number:'
        '*:files:'
        '--db[Read the calls kept in this results file instead of CDR files.]:db:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '--rates[Rate deck CSV\: prefix,rate_per_minute\[,currency,description\].]:rates:'
        '--billing[Billing increments for the rate deck, first/next seconds\: 60/60, 1/1, 30/6.]:billing:'
        '--risk[Extra risk list CSV\: prefix,tier,reason\[,source\]; tier high, medium, or allow (never alert).]:risk:'
        '--output[table (aligned), csv (spreadsheet-safe) or json.]:output:'
        '--limit[Print at most this many rows.]:limit:'
        '--since[Calls that started at or after this date or UTC time.]:since:'
        '--until[Calls that started before this date or UTC time.]:until:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_top() {
    local -i ret=1
    local -ar arg_specs=(
        '--by[country, account, trunk, destination, hour, caller, site, class or day.]:by:'
        '--rank[Rank by calls, minutes or cost.]:rank:'
        '*:files:'
        '--db[Read the calls kept in this results file instead of CDR files.]:db:'
        '--format[Input format\: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping'\''s name.]:format:'
        '*--mapping[A mapping file describing a custom CSV format (see docs/formats.md); repeatable.]:mapping:'
        '--site[Site these files belong to (a name from the inventory, or any label with --timezone/--country).]:site:'
        '--timezone[IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).]:timezone:'
        '--country[ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).]:country:'
        '--utc[Local-time formats (Asterisk) were written in UTC (usegmtime=yes).]'
        '--inventory[Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).]:inventory:'
        '--rejects[Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.]:rejects:'
        '--threads[Threads for reading\: 2 (a reading and an interning thread) or 1.]:threads:'
        '--legs[Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.]:legs:'
        '--rates[Rate deck CSV\: prefix,rate_per_minute\[,currency,description\].]:rates:'
        '--billing[Billing increments for the rate deck, first/next seconds\: 60/60, 1/1, 30/6.]:billing:'
        '--risk[Extra risk list CSV\: prefix,tier,reason\[,source\]; tier high, medium, or allow (never alert).]:risk:'
        '--since[Calls that started at or after this date or UTC time (2026-10-24, 2026-10-24T21\:00Z).]:since:'
        '--until[Calls that started before this date or UTC time.]:until:'
        '--number[A number or prefix, calling or called (+881\: E.164 only; 2042 or 0030\: any form, as dialled too).]:number:'
        '--caller[A prefix of the calling number.]:caller:'
        '--callee[A prefix of the called number.]:callee:'
        '--account[An account or extension.]:account:'
        '--trunk[A trunk.]:trunk:'
        '--at-site[A site.]:at-site:'
        '--direction[inbound, outbound or internal.]:direction:'
        '--disposition[answered, no_answer, busy, failed, congestion or cancel.]:disposition:'
        '--class[Destination class\: international, premium, satellite, domestic_mobile, toll_free, …]:class:'
        '--to-country[Country of the called number (ISO code, e.g. LV).]:to-country:'
        '--min-talk[Minimum talk time in seconds.]:min-talk:'
        '--output[table (aligned), csv (spreadsheet-safe) or json.]:output:'
        '--limit[Print at most this many rows.]:limit:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_cdrscan_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _cdrscan ]]; then
    _cdrscan "${@}"
else
    compdef _cdrscan cdrscan
fi
