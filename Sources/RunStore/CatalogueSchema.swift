import GRDB

/// The catalogue's schema as named migrations. A migration is written once and never
/// changed; a later schema adds a new migration (and raises `version`). Migrations speak SQL
/// only, never the record types, so old migrations stay valid as the records evolve.
enum CatalogueSchema {
    /// `PRAGMA user_version` after every migration this build knows. A file with a higher
    /// value was written by a newer bbplan.
    static let version = 2

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-create-runs") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    scenario_name TEXT NOT NULL CHECK (length(scenario_name) > 0),
                    safe_name TEXT NOT NULL UNIQUE
                        CHECK (length(safe_name) > 0 AND safe_name NOT GLOB '*[^a-z0-9-]*'),
                    scenario_file TEXT NOT NULL,
                    scenario_hash TEXT NOT NULL
                        CHECK (length(scenario_hash) = 64 AND scenario_hash NOT GLOB '*[^0-9a-f]*'),
                    settings_json TEXT NOT NULL CHECK (json_valid(settings_json)),
                    tool_version TEXT NOT NULL,
                    output_dir TEXT NOT NULL,
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
                    error TEXT,
                    exit_code INTEGER,
                    households REAL CHECK (households >= 0),
                    planned_households REAL CHECK (planned_households >= 0),
                    households_passed REAL CHECK (households_passed >= 0),
                    cost_gbp REAL CHECK (cost_gbp >= 0),
                    public_cost_gbp REAL CHECK (public_cost_gbp >= 0),
                    superfast_share_before REAL CHECK (superfast_share_before BETWEEN 0 AND 1),
                    superfast_share_after REAL CHECK (superfast_share_after BETWEEN 0 AND 1),
                    gigabit_share_before REAL CHECK (gigabit_share_before BETWEEN 0 AND 1),
                    gigabit_share_after REAL CHECK (gigabit_share_after BETWEEN 0 AND 1),
                    CHECK (status = 'running' OR finished_at IS NOT NULL),
                    CHECK (status <> 'finished' OR (households IS NOT NULL AND planned_households IS NOT NULL
                           AND households_passed IS NOT NULL AND cost_gbp IS NOT NULL AND public_cost_gbp IS NOT NULL)),
                    CHECK ((status = 'failed') = (error IS NOT NULL))
                )
                """)
        }

        migrator.registerMigration("v1-create-run-inputs") { db in
            try db.execute(sql: """
                CREATE TABLE run_inputs (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (length(role) > 0),
                    path TEXT NOT NULL CHECK (length(path) > 0),
                    sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
                    features INTEGER NOT NULL CHECK (features >= 0),
                    PRIMARY KEY (run_id, role)
                )
                """)
        }

        migrator.registerMigration("v1-create-run-authorities") { db in
            try db.execute(sql: """
                CREATE TABLE run_authorities (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    code TEXT NOT NULL CHECK (length(code) > 0),
                    name TEXT NOT NULL,
                    premises INTEGER NOT NULL CHECK (premises >= 0),
                    households REAL NOT NULL CHECK (households >= 0),
                    superfast_households_before REAL CHECK (superfast_households_before >= 0),
                    superfast_households_after REAL CHECK (superfast_households_after >= 0),
                    gigabit_households_before REAL CHECK (gigabit_households_before >= 0),
                    gigabit_households_after REAL CHECK (gigabit_households_after >= 0),
                    white_households_before REAL NOT NULL CHECK (white_households_before >= 0),
                    grey_households_before REAL NOT NULL CHECK (grey_households_before >= 0),
                    black_households_before REAL NOT NULL CHECK (black_households_before >= 0),
                    superfast_gap_km2_before REAL CHECK (superfast_gap_km2_before >= 0),
                    superfast_gap_km2_after REAL CHECK (superfast_gap_km2_after >= 0),
                    gigabit_gap_km2_before REAL CHECK (gigabit_gap_km2_before >= 0),
                    gigabit_gap_km2_after REAL CHECK (gigabit_gap_km2_after >= 0),
                    cost_gbp REAL NOT NULL CHECK (cost_gbp >= 0),
                    public_cost_gbp REAL NOT NULL CHECK (public_cost_gbp >= 0),
                    households_passed REAL NOT NULL CHECK (households_passed >= 0),
                    PRIMARY KEY (run_id, code)
                )
                """)
            try db.execute(sql: "PRAGMA user_version = 1")
        }

        // Version 2: the batch definition (every variant of the `bbplan batch` command, by
        // folder name and settings hash) and the shard this folder ran, so shard catalogues
        // can be merged and catalogues of different batches told apart. A version 1
        // catalogue gains the (empty) tables when a batch opens it; `batch merge` refuses
        // one without a definition.
        migrator.registerMigration("v2-create-batch-definition") { db in
            try db.execute(sql: """
                CREATE TABLE batch_definition (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    definition_hash TEXT NOT NULL
                        CHECK (length(definition_hash) = 64 AND definition_hash NOT GLOB '*[^0-9a-f]*'),
                    tool_version TEXT NOT NULL,
                    shard_index INTEGER CHECK (shard_index >= 0),
                    shard_count INTEGER CHECK (shard_count >= 1),
                    CHECK ((shard_index IS NULL) = (shard_count IS NULL)),
                    CHECK (shard_index IS NULL OR shard_index < shard_count)
                )
                """)
            try db.execute(sql: """
                CREATE TABLE batch_variants (
                    position INTEGER PRIMARY KEY CHECK (position >= 0),
                    safe_name TEXT NOT NULL UNIQUE
                        CHECK (length(safe_name) > 0 AND safe_name NOT GLOB '*[^a-z0-9-]*'),
                    scenario_hash TEXT NOT NULL
                        CHECK (length(scenario_hash) = 64 AND scenario_hash NOT GLOB '*[^0-9a-f]*')
                )
                """)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        return migrator
    }
}
