namespace Sma.Engine.Store;

/// <summary>
/// The store's schema as forward migrations. Migration N (1-based) moves a store from user_version N-1 to N.
/// Never edit a shipped migration; append a new one.
/// </summary>
internal static class Schema
{
    /// <summary>'SMA1' — marks a SQLite file as an Sma store.</summary>
    public const int ApplicationId = 0x534D4131;

    public static int CurrentVersion => Migrations.Length;

    public static readonly string[] Migrations =
    {
        // 1: everything DESIGN §4 needs.
        """
        CREATE TABLE runbooks (
            runbook_id            TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            runbook_type          TEXT NOT NULL,
            description           TEXT,
            tags                  TEXT,
            log_verbose           INTEGER NOT NULL DEFAULT 0,
            log_progress          INTEGER NOT NULL DEFAULT 0,
            log_debug             INTEGER NOT NULL DEFAULT 0,
            runbook_worker        TEXT,
            draft_version_id      TEXT,
            published_version_id  TEXT,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );

        -- Versions outlive their runbook while a job refers to them: a job always knows the source it ran.
        CREATE TABLE runbook_versions (
            version_id            TEXT PRIMARY KEY,
            runbook_id            TEXT NOT NULL,
            runbook_name          TEXT NOT NULL,
            version_number        INTEGER NOT NULL,
            source                TEXT NOT NULL,
            creation_time         INTEGER NOT NULL
        );
        CREATE INDEX ix_versions_runbook ON runbook_versions (runbook_id, version_number);

        CREATE TABLE jobs (
            job_id                TEXT PRIMARY KEY,
            runbook_id            TEXT NOT NULL,
            runbook_name          TEXT NOT NULL COLLATE NOCASE,
            runbook_version_id    TEXT NOT NULL,
            runbook_type          TEXT NOT NULL,
            status                TEXT NOT NULL,
            status_details        TEXT,
            job_exception         TEXT,
            creation_time         INTEGER NOT NULL,
            start_time            INTEGER,
            end_time              INTEGER,
            last_modified_time    INTEGER NOT NULL,
            assigned_worker       TEXT COLLATE NOCASE,
            worker                TEXT COLLATE NOCASE,
            started_by            TEXT,
            error_count           INTEGER NOT NULL DEFAULT 0,
            warning_count         INTEGER NOT NULL DEFAULT 0,
            log_verbose           INTEGER NOT NULL DEFAULT 0,
            log_progress          INTEGER NOT NULL DEFAULT 0,
            log_debug             INTEGER NOT NULL DEFAULT 0,
            working_directory     TEXT,
            recovery_count        INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_jobs_status ON jobs (status, creation_time);
        CREATE INDEX ix_jobs_runbook_status ON jobs (runbook_name, status, creation_time);
        CREATE INDEX ix_jobs_runbook_id ON jobs (runbook_id, creation_time);
        CREATE INDEX ix_jobs_creation ON jobs (creation_time);
        CREATE INDEX ix_jobs_last_modified ON jobs (last_modified_time);
        CREATE INDEX ix_jobs_worker ON jobs (worker, status);

        CREATE TABLE job_parameters (
            job_id                TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
            ordinal               INTEGER NOT NULL,
            name                  TEXT NOT NULL,
            value_xml             TEXT,
            secret                BLOB,
            display               TEXT,
            PRIMARY KEY (job_id, ordinal)
        ) WITHOUT ROWID;

        CREATE TABLE job_history (
            history_id            INTEGER PRIMARY KEY,
            job_id                TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
            time                  INTEGER NOT NULL,
            from_status           TEXT,
            to_status             TEXT NOT NULL,
            worker                TEXT,
            details               TEXT
        );
        CREATE INDEX ix_history_job ON job_history (job_id, history_id);
        CREATE INDEX ix_history_time ON job_history (time, to_status);

        CREATE TABLE job_streams (
            job_id                TEXT NOT NULL,
            stream_id             INTEGER NOT NULL,
            time                  INTEGER NOT NULL,
            stream_type           INTEGER NOT NULL,
            text                  TEXT NOT NULL,
            value_xml             TEXT,
            secret                BLOB,
            PRIMARY KEY (job_id, stream_id)
        ) WITHOUT ROWID;

        CREATE TABLE checkpoints (
            job_id                TEXT PRIMARY KEY REFERENCES jobs (job_id) ON DELETE CASCADE,
            time                  INTEGER NOT NULL,
            statement_index       INTEGER NOT NULL,
            last_stream_id        INTEGER NOT NULL,
            location              TEXT,
            variables_xml         TEXT,
            secret                BLOB
        );

        CREATE TABLE workers (
            name                  TEXT PRIMARY KEY COLLATE NOCASE,
            computer_name         TEXT NOT NULL,
            process_id            INTEGER NOT NULL,
            is_embedded           INTEGER NOT NULL,
            status                TEXT NOT NULL,
            started_time          INTEGER NOT NULL,
            last_heartbeat        INTEGER NOT NULL,
            throttle_limit        INTEGER NOT NULL,
            running_jobs          INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE admin_configuration (
            key                   TEXT PRIMARY KEY,
            value                 TEXT NOT NULL
        );
        INSERT INTO admin_configuration (key, value) VALUES ('PurgeJobsOlderThanCountDays', '30');
        """,

        // 2: a random identity, so a session notices when its store file is replaced under it.
        """
        INSERT OR IGNORE INTO admin_configuration (key, value) VALUES ('StoreId', lower(hex(randomblob(16))));
        """,

        // 3: how many jobs entered each status, per UTC hour and runbook, kept as history rows are written, so the
        // dashboard reads a few hundred counters instead of sorting every history row of the range.
        """
        CREATE TABLE status_counts (
            hour                  INTEGER NOT NULL,
            runbook_name          TEXT NOT NULL COLLATE NOCASE,
            status                TEXT NOT NULL,
            count                 INTEGER NOT NULL,
            PRIMARY KEY (hour, runbook_name, status)
        ) WITHOUT ROWID;
        INSERT INTO status_counts (hour, runbook_name, status, count)
            SELECT h.time / 36000000000, j.runbook_name, h.to_status, count(*)
            FROM job_history h JOIN jobs j ON j.job_id = h.job_id GROUP BY 1, 2, 3;
        """,

        // 4: checkpoints resume at any nesting: the resume path (JSON) and, beside the variables, the captured loop
        // collections and resume-state values (CliXml, or encrypted). Older rows keep only statement_index.
        """
        ALTER TABLE checkpoints ADD COLUMN resume_path TEXT;
        ALTER TABLE checkpoints ADD COLUMN state_xml TEXT;
        ALTER TABLE checkpoints ADD COLUMN state_secret BLOB;
        """,
    };
}
