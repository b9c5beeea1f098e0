/**
 * Schema history. Append only: a released migration is never edited, a change is a new one.
 * Every engine table is scoped by HubSpot portal, so reconnecting another portal never mixes
 * its links with the old one's.
 */
export const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- The local index of both systems: enough of every record to plan without asking an API.
      CREATE TABLE records (
        portal_id TEXT NOT NULL,
        system TEXT NOT NULL CHECK (system IN ('xentral', 'hubspot')),
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        match_key TEXT NOT NULL,
        xentral_ref TEXT NOT NULL DEFAULT '',
        updated_ms INTEGER NOT NULL,
        data TEXT NOT NULL,
        link_id INTEGER,
        PRIMARY KEY (portal_id, system, type, id)
      ) WITHOUT ROWID;
      CREATE INDEX records_by_key ON records (portal_id, type, match_key);
      CREATE INDEX records_unlinked ON records (portal_id, type, match_key) WHERE link_id IS NULL;
      CREATE INDEX records_by_updated ON records (portal_id, system, updated_ms);
      CREATE INDEX records_by_xentral_ref ON records (portal_id, type, xentral_ref)
        WHERE xentral_ref <> '';

      CREATE TABLE links (
        id INTEGER PRIMARY KEY,
        portal_id TEXT NOT NULL,
        type TEXT NOT NULL,
        xentral_id TEXT NOT NULL,
        hubspot_id TEXT NOT NULL,
        matched_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        run_id INTEGER,
        UNIQUE (portal_id, type, xentral_id),
        UNIQUE (portal_id, type, hubspot_id)
      );

      -- The ledger: a row means "this field of this link has been exchanged" (RULES.md, rule 4).
      CREATE TABLE link_fields (
        link_id INTEGER NOT NULL REFERENCES links (id),
        field TEXT NOT NULL,
        how TEXT NOT NULL,
        exchanged_at TEXT NOT NULL,
        run_id INTEGER,
        PRIMARY KEY (link_id, field)
      ) WITHOUT ROWID;

      CREATE TABLE cursors (
        portal_id TEXT NOT NULL,
        stream TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (portal_id, stream)
      );

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        portal_id TEXT,
        kind TEXT NOT NULL,
        trigger TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        message TEXT,
        counts TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX runs_by_status ON runs (status);

      CREATE TABLE run_items (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs (id),
        type TEXT NOT NULL,
        direction TEXT NOT NULL,
        action TEXT NOT NULL,
        xentral_id TEXT,
        hubspot_id TEXT,
        label TEXT NOT NULL DEFAULT '',
        changes TEXT NOT NULL DEFAULT '[]',
        reason TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX run_items_by_run ON run_items (run_id, id);

      CREATE TABLE conflicts (
        id INTEGER PRIMARY KEY,
        portal_id TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('field', 'ambiguous')),
        type TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        link_id INTEGER REFERENCES links (id),
        field TEXT,
        match_key TEXT,
        xentral_ids TEXT NOT NULL,
        hubspot_ids TEXT NOT NULL,
        xentral_value TEXT,
        hubspot_value TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'superseded')),
        resolution TEXT,
        run_id INTEGER,
        created_at TEXT NOT NULL,
        resolved_at TEXT
      );
      CREATE UNIQUE INDEX conflicts_open_by_key ON conflicts (portal_id, key) WHERE status = 'open';
      CREATE INDEX conflicts_by_status ON conflicts (portal_id, status);

      -- Skips already reported, so an unchanged record is not reported in every run.
      CREATE TABLE skips (
        portal_id TEXT NOT NULL,
        system TEXT NOT NULL,
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        signature TEXT NOT NULL,
        PRIMARY KEY (portal_id, system, type, id)
      ) WITHOUT ROWID;

      -- Creates in Xentral that were sent but not yet confirmed: Xentral's create is not
      -- idempotent, so after a crash these are looked up before anything is created again.
      CREATE TABLE pending_creates (
        portal_id TEXT NOT NULL,
        type TEXT NOT NULL,
        source_id TEXT NOT NULL,
        match_key TEXT NOT NULL,
        lookup TEXT NOT NULL,
        exchanged TEXT NOT NULL,
        run_id INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (portal_id, type, source_id)
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- The one HubSpot connection: tokens encrypted at rest (AES-256-GCM), never in plain text.
      CREATE TABLE connection (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        status TEXT NOT NULL CHECK (status IN ('connected', 'needs_reconnect')),
        hub_id TEXT NOT NULL,
        hub_domain TEXT NOT NULL,
        user TEXT NOT NULL,
        scopes TEXT NOT NULL,
        access_token TEXT NOT NULL,
        refresh_token TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        connected_at TEXT NOT NULL,
        message TEXT
      );

      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );

      -- Launch token ids already used: a launch link opens one session only.
      CREATE TABLE used_launch_tokens (
        jti TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      );

      CREATE TABLE oauth_states (
        state_hash TEXT PRIMARY KEY,
        session_hash TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- Orders already released when deal synchronisation was switched on: they never become
      -- deals (RULES.md, rule 17: only orders released after activation do).
      CREATE TABLE deal_baseline (
        portal_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        activated_at TEXT NOT NULL,
        PRIMARY KEY (portal_id, order_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    sql: `
      -- When Xentral gave no answer to a create (a timeout, a dropped connection): a slow Xentral
      -- may still carry it out, so the record is not created again until the request has had time
      -- to land: a create that landed after the next run looked for it would become a twin.
      ALTER TABLE pending_creates ADD COLUMN uncertain_at TEXT;

      -- HubSpot creates and updates on both sides that were sent but are not yet committed here. A
      -- process that stops between the system's answer and our commit leaves them behind; the next
      -- run reports the ones it finds carried out as done, so the run log shows every change made
      -- in the systems, once, and the run log's counts equal what changed.
      CREATE TABLE pending_writes (
        portal_id TEXT NOT NULL,
        type TEXT NOT NULL,
        target TEXT NOT NULL CHECK (target IN ('xentral', 'hubspot')),
        kind TEXT NOT NULL CHECK (kind IN ('create', 'update')),
        -- create: the source record's id (HubSpot creates are keyed by it); update: the target's
        record_id TEXT NOT NULL,
        label TEXT NOT NULL,
        changes TEXT NOT NULL,
        run_id INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (portal_id, type, target, kind, record_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    sql: `
      -- A run's counts per type, direction and action, kept by the database itself as items are
      -- written: the run log and every progress event read them while a run of 100,000 records
      -- writes, and counting its items each time made watching a run slow it down.
      CREATE TABLE run_counts (
        run_id INTEGER NOT NULL,
        type TEXT NOT NULL,
        direction TEXT NOT NULL,
        action TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (run_id, type, direction, action)
      ) WITHOUT ROWID;
      INSERT INTO run_counts (run_id, type, direction, action, n)
        SELECT run_id, type, direction, action, count(*) FROM run_items GROUP BY 1, 2, 3, 4;
      CREATE TRIGGER run_items_counted AFTER INSERT ON run_items BEGIN
        INSERT INTO run_counts (run_id, type, direction, action, n)
          VALUES (NEW.run_id, NEW.type, NEW.direction, NEW.action, 1)
          ON CONFLICT (run_id, type, direction, action) DO UPDATE SET n = n + 1;
      END;
    `,
  },
  {
    version: 6,
    sql: `
      -- Reasons and run messages as a code with parameters beside the English text, so the UI
      -- can say them in the admin's language.
      ALTER TABLE run_items ADD COLUMN reason_code TEXT;
      ALTER TABLE run_items ADD COLUMN reason_params TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE runs ADD COLUMN message_code TEXT;
      ALTER TABLE runs ADD COLUMN message_params TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 7,
    sql: `
      -- A run walks every link of a type in id order, slice by slice. Without this index SQLite
      -- sorted all links of the type for every slice: quadratic in the number of links.
      CREATE INDEX links_by_type ON links (portal_id, type, id);
      -- Each slice looks up the open field conflicts of its links.
      CREATE INDEX conflicts_open_by_link ON conflicts (portal_id, link_id) WHERE status = 'open';
    `,
  },
  {
    version: 8,
    sql: `
      -- Why the connection needs to be renewed, as a code the UI says in the admin's language:
      -- hubspot_refused (HubSpot refused the stored sign-in) or secret_changed (APP_SECRET no
      -- longer opens the stored tokens).
      ALTER TABLE connection ADD COLUMN reason TEXT;
    `,
  },
  {
    version: 9,
    sql: `
      -- Sessions idle out: the last request a session made, beside its absolute expiry.
      ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
      UPDATE sessions SET last_seen_at = created_at;
    `,
  },
  {
    version: 10,
    sql: `
      -- The OAuth state is bound to the client that started the dance: the hash of a nonce in
      -- a cookie only that client holds (the API token's client included).
      ALTER TABLE oauth_states ADD COLUMN binding_hash TEXT;
    `,
  },
  {
    version: 11,
    sql: `
      -- Nothing asks records by their version time; the index only cost a write per record.
      DROP INDEX IF EXISTS records_by_updated;
    `,
  },
  {
    version: 12,
    sql: `
      -- A linked pair whose plan found nothing to do is settled, with the fingerprint of what
      -- that plan depended on (settings, owners, planner version). Any change to its records,
      -- ledger or conflicts clears it; a run plans only pairs that are not settled as it sees.
      ALTER TABLE links ADD COLUMN settled TEXT;
    `,
  },
  {
    version: 13,
    sql: `
      -- A run's records table and CSV export read the records of one action or object type, page
      -- by page. By (run_id, id) alone SQLite read every record of the run to find the few that
      -- match: 15 skipped among 100,000 meant reading all 100,000 for every page.
      CREATE INDEX run_items_by_action ON run_items (run_id, action, id);
      CREATE INDEX run_items_by_type ON run_items (run_id, type, id);
    `,
  },
];
