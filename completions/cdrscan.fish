function __cdrscan_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __cdrscan_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __cdrscan_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __cdrscan_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __cdrscan_parse_tokens -S
    set -l unparsed_tokens (__cdrscan_tokens -pc)
    switch $unparsed_tokens[1]
    case 'cdrscan'
        __cdrscan_parse_subcommand 0 'h/help'
        switch $unparsed_tokens[1]
        case 'ingest'
            __cdrscan_parse_subcommand -r 1 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'json' 'destinations' 'h/help'
        case 'export'
            __cdrscan_parse_subcommand -r 1 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'o/output=' 'h/help'
        case 'generate'
            __cdrscan_parse_subcommand 0 'seed=' 'calls=' 'days=' 'start=' 'format=' 'layout=' 'gzip' 'clean' 'scenarios=' 'out=' 'h/help'
        case 'capacity'
            __cdrscan_parse_subcommand -r 1 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'month=' 'gos=' 'retry=' 'json' 'timings' 'h/help'
        case 'erlang'
            __cdrscan_parse_subcommand 0 'channels=' 'traffic=' 'gos=' 'retry=' 'json' 'h/help'
        case 'number'
            __cdrscan_parse_subcommand -r 1 'site=' 'country=' 'inventory=' 'rates=' 'billing=' 'risk=' 'json' 'h/help'
        case 'scan'
            __cdrscan_parse_subcommand -r 1 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'rates=' 'billing=' 'risk=' 'since=' 'fail-on=' 'json' 'db=' 'wait=' 'html=' 'markdown=' 'timings' 'history' 'lookback-days=' 'detectors=' 'calibrate' 'h/help'
        case 'report'
            __cdrscan_parse_subcommand 0 'db=' 'run=' 'night=' 'month=' 'html=' 'markdown=' 'h/help'
        case 'run'
            __cdrscan_parse_subcommand 1 'night=' 'month=' 'dry-run' 'wait=' 'threads=' 'json' 'v/verbose' 'q/quiet' 'h/help'
        case 'validate'
            __cdrscan_parse_subcommand -r 1 'h/help'
        case 'calls'
            __cdrscan_parse_subcommand -r 1 'db=' 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'rates=' 'billing=' 'risk=' 'since=' 'until=' 'number=' 'caller=' 'callee=' 'account=' 'trunk=' 'at-site=' 'direction=' 'disposition=' 'class=' 'to-country=' 'min-talk=' 'output=' 'limit=' 'h/help'
        case 'trace'
            __cdrscan_parse_subcommand -r 2 'db=' 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'rates=' 'billing=' 'risk=' 'output=' 'limit=' 'since=' 'until=' 'h/help'
        case 'top'
            __cdrscan_parse_subcommand -r 1 'by=' 'rank=' 'db=' 'format=' 'mapping=+' 'site=' 'timezone=' 'country=' 'utc' 'inventory=' 'rejects=' 'threads=' 'legs=' 'rates=' 'billing=' 'risk=' 'since=' 'until=' 'number=' 'caller=' 'callee=' 'account=' 'trunk=' 'at-site=' 'direction=' 'disposition=' 'class=' 'to-country=' 'min-talk=' 'output=' 'limit=' 'h/help'
        case 'help'
            __cdrscan_parse_subcommand -r 1 
        end
    end
end

function __cdrscan_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __cdrscan_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __cdrscan_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __cdrscan_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__cdrscan_tokens -p)
    if test -z "$(__cdrscan_tokens -t)"
        set -l index (count (__cdrscan_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'cdrscan' -f
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'ingest' -d 'Read CDR files and print what was read: rows, calls kept, rejects by reason, time span, trunks.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'export' -d 'Convert CDR files of any supported format to cdrscan\'s canonical CSV.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'generate' -d 'Write a deterministic sample organization\'s CDRs with injected fraud scenarios and a truth file.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'capacity' -d 'Trunk capacity review: exact concurrency, busy hour, Erlang B against contracted channels.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'erlang' -d 'Erlang B calculator for what-if questions about trunk sizing.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'number' -d 'Show what cdrscan knows about phone numbers: E.164 form, country, class, risk tier and rate.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'scan' -d 'One-shot scan: ingest, every detector and the capacity review; prints the incidents.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'report' -d 'Build the HTML and Markdown reports from a results database, without re-reading CDRs.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'run' -d 'Run a pipeline file: the nightly job, the monthly capacity review, an investigation.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'validate' -d 'Check pipeline files without running them.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'calls' -d 'List the calls that match filters: time range, number, account, trunk, direction, class, ….'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'trace' -d 'Every call to or from a number or prefix, in site-local and UTC time, with class and cost.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'top' -d 'Who and what used the service most: by country, account, trunk, destination, hour, ….'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_positional "cdrscan" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" json' -l 'json' -d 'Print the summary as one JSON object.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" destinations' -l 'destinations' -d 'Also classify every called number (class, country, risk tier) and print calls per class and country.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan ingest" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" o output' -s 'o' -l 'output' -d 'Output file (default: standard output).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" seed' -l 'seed' -d 'Random seed; the same seed always writes the same files.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" calls' -l 'calls' -d 'Expected number of ordinary calls (scenarios come on top).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" days' -l 'days' -d 'Days in the period.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" start' -l 'start' -d 'First local day of the period (YYYY-MM-DD).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" format' -l 'format' -d 'Output format: canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys or acme-pbx (a custom mapping: its acme-pbx.mapping.yaml is written too, read it with --mapping).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" layout' -l 'layout' -d 'daily (one file per site and local day) or single (one file).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" gzip' -l 'gzip' -d 'Compress the CDR files with gzip.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" clean' -l 'clean' -d 'Inject no scenarios (a clean period).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" scenarios' -l 'scenarios' -d 'Comma-separated scenarios to inject (default: all).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" out' -l 'out' -d 'Output directory (created if missing).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan generate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" month' -l 'month' -d 'Review one calendar month (YYYY-MM) in each site\'s local time; default: the whole data span.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" gos' -l 'gos' -d 'Target grade of service (blocking probability), e.g. 0.01 for 1%.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" retry' -l 'retry' -d 'Share of blocked callers who retry (Extended Erlang B), 0...1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" json' -l 'json' -d 'Print the review as JSON.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" timings' -l 'timings' -d 'Print how long ingest and the review took to standard error.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan capacity" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan erlang" channels' -l 'channels' -d 'Number of channels (trunk lines).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan erlang" traffic' -l 'traffic' -d 'Offered traffic in Erlangs (busy-hour call-seconds / 3600).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan erlang" gos' -l 'gos' -d 'Grade of service: the blocking probability, e.g. 0.01.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan erlang" retry' -l 'retry' -d 'Share of blocked callers who retry (Extended Erlang B), 0...1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan erlang" json' -l 'json' -d 'Print inputs and result as JSON numbers.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan erlang" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" site' -l 'site' -d 'Site whose dialing plan applies (needs --inventory).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" country' -l 'country' -d 'Country whose dialing plan applies (ISO 3166-1 alpha-2).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" inventory' -l 'inventory' -d 'Inventory YAML with the sites.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" rates' -l 'rates' -d 'Rate deck CSV: prefix,rate_per_minute[,currency,description].' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" billing' -l 'billing' -d 'Billing increments for the rate deck, first/next seconds: 60/60, 1/1, 30/6.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" risk' -l 'risk' -d 'Extra risk list CSV: prefix,tier,reason[,source]; tier high, medium, or allow (never alert).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" json' -l 'json' -d 'Print JSON.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan number" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" rates' -l 'rates' -d 'Rate deck CSV: prefix,rate_per_minute[,currency,description].' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" billing' -l 'billing' -d 'Billing increments for the rate deck, first/next seconds: 60/60, 1/1, 30/6.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" risk' -l 'risk' -d 'Extra risk list CSV: prefix,tier,reason[,source]; tier high, medium, or allow (never alert).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" since' -l 'since' -d 'Only report windows from this local date on (YYYY-MM-DD, UTC midnight); earlier calls are history.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" fail-on' -l 'fail-on' -d 'Exit with status 2 when an incident of this severity or worse is found: low, medium, high, critical.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" json' -l 'json' -d 'Print incidents and alerts as JSON.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" db' -l 'db' -d 'SQLite results file to write (created and migrated as needed).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" wait' -l 'wait' -d 'Wait up to this many seconds for another run holding the --db results file (default: do not wait).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" html' -l 'html' -d 'Write the HTML report here (one self-contained file).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" markdown' -l 'markdown' -d 'Write the Markdown report here.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" timings' -l 'timings' -d 'Print how long each stage took to standard error.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" history' -l 'history' -d 'Keep the calls in --db as history and use the stored history as the baseline (nightly runs read only new CDRs).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" lookback-days' -l 'lookback-days' -d 'Days of history kept and used with --history.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" detectors' -l 'detectors' -d 'Detector settings YAML (snake_case DetectorConfig keys, e.g. fast_attempts: 4); see docs/detectors.md.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" calibrate' -l 'calibrate' -d 'Report only: print how many alerts each detector would raise with its thresholds scaled, then stop.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan scan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" db' -l 'db' -d 'SQLite results file written by scan or run.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" run' -l 'run' -d 'Run id (default: the latest finished run).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" night' -l 'night' -d 'The latest run whose period covers this local date (YYYY-MM-DD).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" month' -l 'month' -d 'The latest run whose period covers this month (YYYY-MM).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" html' -l 'html' -d 'Write the HTML report here.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" markdown' -l 'markdown' -d 'Write the Markdown report here.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" night' -l 'night' -d 'Run for this night (local date YYYY-MM-DD) instead of the pipeline\'s default period.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" month' -l 'month' -d 'Run for this month (YYYY-MM) instead of the pipeline\'s default period.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" dry-run' -l 'dry-run' -d 'Print what would be read and written, then stop.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" wait' -l 'wait' -d 'Wait up to this many seconds for another run holding the results file (default: do not wait).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" threads' -l 'threads' -d 'Threads for reading large plain files: 2 or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" json' -l 'json' -d 'Print the incidents as JSON.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run"' -l 'verbose' -s 'v' -d 'More log lines: -v for the run\'s steps, -vv for debugging.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" q quiet' -l 'quiet' -s 'q' -d 'Only errors on standard error.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" db' -l 'db' -d 'Read the calls kept in this results file instead of CDR files.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" rates' -l 'rates' -d 'Rate deck CSV: prefix,rate_per_minute[,currency,description].' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" billing' -l 'billing' -d 'Billing increments for the rate deck, first/next seconds: 60/60, 1/1, 30/6.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" risk' -l 'risk' -d 'Extra risk list CSV: prefix,tier,reason[,source]; tier high, medium, or allow (never alert).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" since' -l 'since' -d 'Calls that started at or after this date or UTC time (2026-10-24, 2026-10-24T21:00Z).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" until' -l 'until' -d 'Calls that started before this date or UTC time.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" number' -l 'number' -d 'A number or prefix, calling or called (+881: E.164 only; 2042 or 0030: any form, as dialled too).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" caller' -l 'caller' -d 'A prefix of the calling number.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" callee' -l 'callee' -d 'A prefix of the called number.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" account' -l 'account' -d 'An account or extension.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" trunk' -l 'trunk' -d 'A trunk.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" at-site' -l 'at-site' -d 'A site.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" direction' -l 'direction' -d 'inbound, outbound or internal.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" disposition' -l 'disposition' -d 'answered, no_answer, busy, failed, congestion or cancel.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" class' -l 'class' -d 'Destination class: international, premium, satellite, domestic_mobile, toll_free, …' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" to-country' -l 'to-country' -d 'Country of the called number (ISO code, e.g. LV).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" min-talk' -l 'min-talk' -d 'Minimum talk time in seconds.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" output' -l 'output' -d 'table (aligned), csv (spreadsheet-safe) or json.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" limit' -l 'limit' -d 'Print at most this many rows.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan calls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" db' -l 'db' -d 'Read the calls kept in this results file instead of CDR files.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" rates' -l 'rates' -d 'Rate deck CSV: prefix,rate_per_minute[,currency,description].' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" billing' -l 'billing' -d 'Billing increments for the rate deck, first/next seconds: 60/60, 1/1, 30/6.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" risk' -l 'risk' -d 'Extra risk list CSV: prefix,tier,reason[,source]; tier high, medium, or allow (never alert).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" output' -l 'output' -d 'table (aligned), csv (spreadsheet-safe) or json.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" limit' -l 'limit' -d 'Print at most this many rows.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" since' -l 'since' -d 'Calls that started at or after this date or UTC time.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" until' -l 'until' -d 'Calls that started before this date or UTC time.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan trace" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" by' -l 'by' -d 'country, account, trunk, destination, hour, caller, site, class or day.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" rank' -l 'rank' -d 'Rank by calls, minutes or cost.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" db' -l 'db' -d 'Read the calls kept in this results file instead of CDR files.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" format' -l 'format' -d 'Input format: auto, canonical, asterisk, freeswitch, cucm, broadworks, twilio, genesys, or a mapping\'s name.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top"' -l 'mapping' -d 'A mapping file describing a custom CSV format (see docs/formats.md); repeatable.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" site' -l 'site' -d 'Site these files belong to (a name from the inventory, or any label with --timezone/--country).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" timezone' -l 'timezone' -d 'IANA time zone of the site, e.g. Europe/Berlin (for local-time formats and reports).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" country' -l 'country' -d 'ISO 3166-1 alpha-2 country of the site, e.g. DE (for number normalization).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" utc' -l 'utc' -d 'Local-time formats (Asterisk) were written in UTC (usegmtime=yes).'
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" inventory' -l 'inventory' -d 'Inventory YAML with sites (zone, country, business hours, holidays) and trunks (channels).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" rejects' -l 'rejects' -d 'Where to write rejected rows (CSV with file, line, reason, raw text). Created when rows are rejected; an earlier file there is replaced by one with the header alone when none are.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" threads' -l 'threads' -d 'Threads for reading: 2 (a reading and an interning thread) or 1.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" legs' -l 'legs' -d 'Write the rows merged into an earlier row of the same call (legs, sub-calls) here, with their call.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" rates' -l 'rates' -d 'Rate deck CSV: prefix,rate_per_minute[,currency,description].' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" billing' -l 'billing' -d 'Billing increments for the rate deck, first/next seconds: 60/60, 1/1, 30/6.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" risk' -l 'risk' -d 'Extra risk list CSV: prefix,tier,reason[,source]; tier high, medium, or allow (never alert).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" since' -l 'since' -d 'Calls that started at or after this date or UTC time (2026-10-24, 2026-10-24T21:00Z).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" until' -l 'until' -d 'Calls that started before this date or UTC time.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" number' -l 'number' -d 'A number or prefix, calling or called (+881: E.164 only; 2042 or 0030: any form, as dialled too).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" caller' -l 'caller' -d 'A prefix of the calling number.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" callee' -l 'callee' -d 'A prefix of the called number.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" account' -l 'account' -d 'An account or extension.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" trunk' -l 'trunk' -d 'A trunk.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" at-site' -l 'at-site' -d 'A site.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" direction' -l 'direction' -d 'inbound, outbound or internal.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" disposition' -l 'disposition' -d 'answered, no_answer, busy, failed, congestion or cancel.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" class' -l 'class' -d 'Destination class: international, premium, satellite, domestic_mobile, toll_free, …' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" to-country' -l 'to-country' -d 'Country of the called number (ISO code, e.g. LV).' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" min-talk' -l 'min-talk' -d 'Minimum talk time in seconds.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" output' -l 'output' -d 'table (aligned), csv (spreadsheet-safe) or json.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" limit' -l 'limit' -d 'Print at most this many rows.' -rfka ''
complete -c 'cdrscan' -n '__cdrscan_should_offer_completions_for_flags_or_options "cdrscan top" h help' -s 'h' -l 'help' -d 'Show help information.'
