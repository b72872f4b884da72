import GRDB

/// The values a sound catalogue may hold, column by column, checked when an existing
/// catalogue is opened. SQLite's CHECK constraints do not see types (text compares above
/// every number, so `'lots' >= 0` holds) and can be switched off; a value that breaks these
/// rules would otherwise surface as a decoding error deep in a batch. A catalogue that breaks
/// one is refused as damaged, naming the table, row, column and value.
enum CatalogueValues {
    struct Rule {
        let table: String
        /// The column shown in the message (nil for a rule across columns).
        let column: String?
        /// An SQL condition every row must satisfy.
        let condition: String
        let expected: String
    }

    static func text(_ table: String, _ column: String, optional: Bool = false) -> Rule {
        Rule(table: table, column: column, condition: nullable("typeof(\(column)) = 'text'", column, optional),
             expected: "text")
    }

    static func hex64(_ table: String, _ column: String) -> Rule {
        Rule(table: table, column: column,
             condition: "typeof(\(column)) = 'text' AND length(\(column)) = 64 AND \(column) NOT GLOB '*[^0-9a-f]*'",
             expected: "64 hex digits")
    }

    /// GRDB reads a date from `YYYY-MM-DD...` text or a number of seconds since 1970.
    static func date(_ table: String, _ column: String, optional: Bool) -> Rule {
        let condition = "typeof(\(column)) IN ('integer', 'real') OR (typeof(\(column)) = 'text' AND "
            + "\(column) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND julianday(\(column)) IS NOT NULL)"
        return Rule(table: table, column: column, condition: nullable(condition, column, optional), expected: "a date")
    }

    static func count(_ table: String, _ column: String, optional: Bool = false) -> Rule {
        Rule(table: table, column: column,
             condition: nullable("typeof(\(column)) = 'integer' AND \(column) >= 0", column, optional),
             expected: "a whole number ≥ 0")
    }

    static func quantity(_ table: String, _ column: String, optional: Bool) -> Rule {
        Rule(table: table, column: column,
             condition: nullable("typeof(\(column)) IN ('integer', 'real') AND \(column) >= 0", column, optional),
             expected: "a number ≥ 0")
    }

    static func share(_ table: String, _ column: String) -> Rule {
        Rule(table: table, column: column,
             condition: nullable("typeof(\(column)) IN ('integer', 'real') AND \(column) BETWEEN 0 AND 1", column, true),
             expected: "a share from 0 to 1")
    }

    static func nullable(_ condition: String, _ column: String, _ optional: Bool) -> String {
        optional ? "\(column) IS NULL OR (\(condition))" : condition
    }

    static let rules: [Rule] = {
        var rules: [Rule] = []
        for column in ["scenario_name", "safe_name", "scenario_file", "settings_json", "tool_version", "output_dir"] {
            rules.append(text("runs", column))
        }
        rules.append(hex64("runs", "scenario_hash"))
        rules.append(date("runs", "started_at", optional: false))
        rules.append(date("runs", "finished_at", optional: true))
        rules.append(Rule(table: "runs", column: "status", condition: "status IN ('running', 'finished', 'failed')",
                          expected: "running, finished or failed"))
        rules.append(text("runs", "error", optional: true))
        rules.append(Rule(table: "runs", column: "exit_code", condition: "exit_code IS NULL OR typeof(exit_code) = 'integer'",
                          expected: "a whole number"))
        for column in ["households", "planned_households", "households_passed", "cost_gbp", "public_cost_gbp"] {
            rules.append(quantity("runs", column, optional: true))
        }
        for column in ["superfast_share_before", "superfast_share_after", "gigabit_share_before", "gigabit_share_after"] {
            rules.append(share("runs", column))
        }
        rules.append(Rule(table: "runs", column: nil, condition: "status = 'running' OR finished_at IS NOT NULL",
                          expected: "an end time for a run that ended"))
        rules.append(Rule(table: "runs", column: nil,
                          condition: "status <> 'finished' OR (households IS NOT NULL AND planned_households IS NOT NULL "
                              + "AND households_passed IS NOT NULL AND cost_gbp IS NOT NULL AND public_cost_gbp IS NOT NULL)",
                          expected: "the totals of a finished run"))
        rules.append(Rule(table: "runs", column: nil, condition: "(status = 'failed') = (error IS NOT NULL)",
                          expected: "a reason exactly when a run failed"))

        rules.append(text("run_inputs", "role"))
        rules.append(text("run_inputs", "path"))
        rules.append(hex64("run_inputs", "sha256"))
        rules.append(count("run_inputs", "features"))

        rules.append(text("run_authorities", "code"))
        rules.append(text("run_authorities", "name"))
        rules.append(count("run_authorities", "premises"))
        for column in ["households", "white_households_before", "grey_households_before", "black_households_before",
                       "cost_gbp", "public_cost_gbp", "households_passed"] {
            rules.append(quantity("run_authorities", column, optional: false))
        }
        for column in ["superfast_households_before", "superfast_households_after", "gigabit_households_before",
                       "gigabit_households_after", "superfast_gap_km2_before", "superfast_gap_km2_after",
                       "gigabit_gap_km2_before", "gigabit_gap_km2_after"] {
            rules.append(quantity("run_authorities", column, optional: true))
        }

        rules.append(hex64("batch_definition", "definition_hash"))
        rules.append(text("batch_definition", "tool_version"))
        rules.append(count("batch_definition", "shard_index", optional: true))
        rules.append(count("batch_definition", "shard_count", optional: true))
        rules.append(Rule(table: "batch_definition", column: nil,
                          condition: "(shard_index IS NULL) = (shard_count IS NULL) AND (shard_index IS NULL OR shard_index < shard_count)",
                          expected: "a shard index below the shard count, or neither"))
        rules.append(count("batch_variants", "position"))
        rules.append(text("batch_variants", "safe_name"))
        rules.append(hex64("batch_variants", "scenario_hash"))
        return rules
    }()

    /// The first value that breaks a rule, described for a message, or nil when all hold.
    /// Tables a migration has not created yet (an older catalogue) have no rules to break.
    static func firstProblem(_ db: Database) throws -> String? {
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        for rule in rules where tables.contains(rule.table) {
            let shown = rule.column.map { "quote(\($0))" } ?? "NULL"
            let sql = "SELECT rowid, \(shown) FROM \(rule.table) WHERE NOT coalesce((\(rule.condition)), 0) LIMIT 1"
            guard let row = try Row.fetchOne(db, sql: sql) else { continue }
            let rowID: Int64 = row[0]
            guard let column = rule.column else { return "\(rule.table) row \(rowID): expected \(rule.expected)" }
            let value: String = row[1] ?? "NULL"
            return "\(rule.table) row \(rowID): \(column) holds \(excerpt(value)), expected \(rule.expected)"
        }
        return nil
    }

    /// A value for a message: at most 40 characters (bbplan's error reporting escapes
    /// control characters).
    static func excerpt(_ value: String) -> String {
        value.count > 40 ? String(value.prefix(37)) + "..." : value
    }
}
