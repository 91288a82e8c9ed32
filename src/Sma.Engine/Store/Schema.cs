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

        // 4: workers are incarnations (name + host + process + its start time), not names: a worker restarted under
        // the same name neither adopts nor hides the dead one's jobs. A job records the incarnation that holds it.
        // Existing rows become incarnations of unknown process start (0); their jobs are held by them.
        """
        CREATE TABLE worker_incarnations (
            incarnation_id        TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE,
            computer_name         TEXT NOT NULL COLLATE NOCASE,
            process_id            INTEGER NOT NULL,
            process_start         INTEGER NOT NULL,
            is_embedded           INTEGER NOT NULL,
            status                TEXT NOT NULL,
            started_time          INTEGER NOT NULL,
            last_heartbeat        INTEGER NOT NULL,
            throttle_limit        INTEGER NOT NULL,
            running_jobs          INTEGER NOT NULL DEFAULT 0,
            last_error            TEXT
        );
        CREATE INDEX ix_incarnations_name ON worker_incarnations (name, started_time);
        INSERT INTO worker_incarnations (incarnation_id, name, computer_name, process_id, process_start, is_embedded,
                status, started_time, last_heartbeat, throttle_limit, running_jobs)
            SELECT lower(hex(randomblob(16))), name, computer_name, process_id, 0, is_embedded, status, started_time,
                last_heartbeat, throttle_limit, running_jobs FROM workers;
        ALTER TABLE jobs ADD COLUMN incarnation_id TEXT;
        UPDATE jobs SET incarnation_id = (SELECT i.incarnation_id FROM worker_incarnations i WHERE i.name = jobs.worker)
            WHERE worker IS NOT NULL AND status IN ('Starting', 'Running', 'Suspending', 'Stopping', 'Resuming');
        CREATE INDEX ix_jobs_incarnation ON jobs (incarnation_id) WHERE incarnation_id IS NOT NULL;
        DROP TABLE workers;
        """,

        // 5: the inline child runbooks a job uses, with the published version resolved when it was started (the job's
        // own version is jobs.runbook_version_id). A resume runs the same versions; Get-SmaRunbookDefinition -Children
        // lists them. The version index keeps Remove-SmaRunbook from dropping versions a job still refers to.
        """
        CREATE TABLE job_sources (
            job_id                TEXT NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
            ordinal               INTEGER NOT NULL,
            runbook_name          TEXT NOT NULL,
            version_id            TEXT NOT NULL,
            PRIMARY KEY (job_id, ordinal)
        ) WITHOUT ROWID;
        CREATE INDEX ix_job_sources_version ON job_sources (version_id);
        """,

        // 6: schedules (DESIGN §10). The engine computes every next run (Cronos, time zones); the store keeps them.
        // A link's next_run is the occurrence it fires next (NULL: disabled or none left), indexed so a worker finds
        // the earliest in one query. One row per link and occurrence in schedule_occurrences is the claim: the job an
        // occurrence starts is created in the same transaction, so it starts exactly one job across all workers.
        """
        ALTER TABLE jobs ADD COLUMN schedule_name TEXT;

        CREATE TABLE schedules (
            schedule_id           TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            schedule_type         TEXT NOT NULL,
            start_time            INTEGER NOT NULL,
            expiry_time           INTEGER,
            interval              INTEGER,
            days_of_week          TEXT,
            cron                  TEXT,
            time_zone             TEXT NOT NULL,
            description           TEXT,
            is_enabled            INTEGER NOT NULL DEFAULT 1,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );

        -- A runbook removed, or a schedule removed, takes its links (and their parameters and history) with it.
        CREATE TABLE schedule_links (
            link_id               TEXT PRIMARY KEY,
            schedule_id           TEXT NOT NULL REFERENCES schedules (schedule_id) ON DELETE CASCADE,
            runbook_id            TEXT NOT NULL REFERENCES runbooks (runbook_id) ON DELETE CASCADE,
            working_directory     TEXT,
            next_run              INTEGER,
            last_run              INTEGER,
            last_job_id           TEXT,
            last_missed           INTEGER,
            missed_count          INTEGER NOT NULL DEFAULT 0,
            creation_time         INTEGER NOT NULL,
            UNIQUE (schedule_id, runbook_id)
        );
        CREATE INDEX ix_links_next_run ON schedule_links (next_run);
        CREATE INDEX ix_links_runbook ON schedule_links (runbook_id);

        CREATE TABLE schedule_link_parameters (
            link_id               TEXT NOT NULL REFERENCES schedule_links (link_id) ON DELETE CASCADE,
            ordinal               INTEGER NOT NULL,
            name                  TEXT NOT NULL,
            value_xml             TEXT,
            secret                BLOB,
            display               TEXT,
            PRIMARY KEY (link_id, ordinal)
        ) WITHOUT ROWID;

        CREATE TABLE schedule_occurrences (
            link_id               TEXT NOT NULL REFERENCES schedule_links (link_id) ON DELETE CASCADE,
            occurrence_time       INTEGER NOT NULL,
            outcome               TEXT NOT NULL,
            through_time          INTEGER,
            occurrence_count      INTEGER NOT NULL DEFAULT 1,
            job_id                TEXT,
            recorded_time         INTEGER NOT NULL,
            worker                TEXT,
            details               TEXT,
            PRIMARY KEY (link_id, occurrence_time)
        ) WITHOUT ROWID;
        CREATE INDEX ix_occurrences_recorded ON schedule_occurrences (recorded_time);
        """,

        // 7: automation assets (variables, credentials, certificates, connections and their types), integration
        // modules, and the secrets each job was handed. Secret values are only ever stored encrypted (secret BLOBs).
        // The built-in Generic connection type is a row like the types modules register, so connections always
        // refer to a type row.
        """
        CREATE TABLE variables (
            variable_id           TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            value_type            TEXT NOT NULL,
            is_encrypted          INTEGER NOT NULL,
            value_xml             TEXT,
            secret                BLOB,
            description           TEXT,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );

        CREATE TABLE credentials (
            credential_id         TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            user_name             TEXT NOT NULL,
            secret                BLOB NOT NULL,
            description           TEXT,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );

        CREATE TABLE certificates (
            certificate_id        TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            thumbprint            TEXT NOT NULL,
            subject               TEXT NOT NULL,
            expiry_time           INTEGER NOT NULL,
            has_private_key       INTEGER NOT NULL,
            secret                BLOB NOT NULL,
            description           TEXT,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );

        CREATE TABLE modules (
            module_id             TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            module_version        TEXT,
            version               INTEGER NOT NULL,
            description           TEXT,
            content               BLOB NOT NULL,
            content_sha256        TEXT NOT NULL,
            size                  INTEGER NOT NULL,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );

        CREATE TABLE connection_types (
            connection_type_id    TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            module_id             TEXT REFERENCES modules (module_id),
            creation_time         INTEGER NOT NULL
        );
        CREATE INDEX ix_connection_types_module ON connection_types (module_id);

        CREATE TABLE connection_type_fields (
            connection_type_id    TEXT NOT NULL REFERENCES connection_types (connection_type_id) ON DELETE CASCADE,
            ordinal               INTEGER NOT NULL,
            name                  TEXT NOT NULL,
            type_name             TEXT NOT NULL,
            is_encrypted          INTEGER NOT NULL,
            is_optional           INTEGER NOT NULL,
            PRIMARY KEY (connection_type_id, ordinal)
        ) WITHOUT ROWID;

        CREATE TABLE connections (
            connection_id         TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            connection_type_id    TEXT NOT NULL REFERENCES connection_types (connection_type_id),
            description           TEXT,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );
        CREATE INDEX ix_connections_type ON connections (connection_type_id);

        CREATE TABLE connection_values (
            connection_id         TEXT NOT NULL REFERENCES connections (connection_id) ON DELETE CASCADE,
            field_name            TEXT NOT NULL COLLATE NOCASE,
            value_xml             TEXT,
            secret                BLOB,
            PRIMARY KEY (connection_id, field_name)
        ) WITHOUT ROWID;

        CREATE TABLE job_secrets (
            job_id                TEXT PRIMARY KEY REFERENCES jobs (job_id) ON DELETE CASCADE,
            secret                BLOB NOT NULL
        );

        INSERT INTO connection_types (connection_type_id, name, module_id, creation_time) VALUES
            ('00000000-0000-0000-0000-00000000c001', 'Generic', NULL,
             CAST((julianday('now') - 1721425.5) * 864000000000 AS INTEGER));
        INSERT INTO connection_type_fields VALUES
            ('00000000-0000-0000-0000-00000000c001', 0, 'ComputerName', 'System.String', 0, 1),
            ('00000000-0000-0000-0000-00000000c001', 1, 'Port', 'System.Int32', 0, 1),
            ('00000000-0000-0000-0000-00000000c001', 2, 'Uri', 'System.String', 0, 1),
            ('00000000-0000-0000-0000-00000000c001', 3, 'UserName', 'System.String', 0, 1),
            ('00000000-0000-0000-0000-00000000c001', 4, 'Password', 'System.String', 1, 1);
        INSERT OR IGNORE INTO admin_configuration (key, value) VALUES ('ModulesGeneration', '0');
        """,

        // 8: a Workflow runbook version keeps its PowerShell 7 translation beside the source it was imported from;
        // jobs run the translation (NULL for scripts, which run as they are).
        """
        ALTER TABLE runbook_versions ADD COLUMN translated TEXT;
        """,

        // 9: checkpoints resume at any nesting: the resume path (JSON) and, beside the variables, the captured loop
        // collections and resume-state values (CliXml, or encrypted). Older rows keep only statement_index.
        """
        ALTER TABLE checkpoints ADD COLUMN resume_path TEXT;
        ALTER TABLE checkpoints ADD COLUMN state_xml TEXT;
        ALTER TABLE checkpoints ADD COLUMN state_secret BLOB;
        """,

        // 10: the web service's accounts (DESIGN §13). Only a salted, slow hash of each password is kept (PBKDF2, see
        // Security/PasswordHasher); the role says what the account may do. Names are ASCII, unique in any case.
        """
        CREATE TABLE web_accounts (
            account_id            TEXT PRIMARY KEY,
            name                  TEXT NOT NULL COLLATE NOCASE UNIQUE,
            role                  TEXT NOT NULL,
            password_hash         TEXT NOT NULL,
            is_enabled            INTEGER NOT NULL DEFAULT 1,
            description           TEXT,
            creation_time         INTEGER NOT NULL,
            last_modified_time    INTEGER NOT NULL
        );
        -- SMA's clients find jobs through their runbook version (JobContexts filtered by RunbookVersionID).
        CREATE INDEX ix_jobs_version ON jobs (runbook_version_id, creation_time);
        """,
    };
}
