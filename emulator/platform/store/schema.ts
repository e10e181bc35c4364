import type { Migration } from "./db.js";

// One list, append-only: never edit a migration that has shipped, add a new one.
export const migrations: Migration[] = [
  {
    id: "0001-core",
    up: `
      -- Ids are decimal strings from one tenant-wide sequence (docs/platform-api.md §0a).
      CREATE TABLE id_sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO id_sequence (name, value) VALUES ('global', 10000);

      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE users (
        tenant TEXT NOT NULL,
        username TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('admin', 'device', 'bootstrap')),
        email TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant, username)
      );

      CREATE TABLE revoked_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
    `,
  },
];

migrations.push({
  id: "0002-domain",
  up: `
    -- Managed objects: name/type/owner and timestamps as columns (indexed lists), the rest of the object as JSON.
    CREATE TABLE managed_objects (
      id INTEGER PRIMARY KEY,
      type TEXT,
      name TEXT,
      owner TEXT NOT NULL,
      creation_time TEXT NOT NULL,
      last_updated TEXT NOT NULL,
      fragments TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX mo_type ON managed_objects (type, id);
    CREATE INDEX mo_owner ON managed_objects (owner, id);
    CREATE INDEX mo_name ON managed_objects (name COLLATE NOCASE, id);
    CREATE INDEX mo_last_updated ON managed_objects (last_updated, id);

    -- Top-level fragment names per object: fragmentType= and has() without scanning JSON.
    CREATE TABLE mo_fragments (
      fragment TEXT NOT NULL,
      mo_id INTEGER NOT NULL REFERENCES managed_objects (id) ON DELETE CASCADE,
      PRIMARY KEY (fragment, mo_id)
    ) WITHOUT ROWID;
    CREATE INDEX mo_fragments_by_mo ON mo_fragments (mo_id);

    -- Child references; the parent collections (deviceParents, assetParents, additionParents) are their inverse.
    CREATE TABLE mo_refs (
      parent_id INTEGER NOT NULL REFERENCES managed_objects (id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('childDevices', 'childAssets', 'childAdditions')),
      child_id INTEGER NOT NULL REFERENCES managed_objects (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      PRIMARY KEY (parent_id, kind, child_id)
    ) WITHOUT ROWID;
    CREATE INDEX mo_refs_parent_order ON mo_refs (parent_id, kind, seq);
    CREATE INDEX mo_refs_child ON mo_refs (child_id, kind);

    CREATE TABLE external_ids (
      type TEXT NOT NULL,
      external_id TEXT NOT NULL,
      mo_id INTEGER NOT NULL REFERENCES managed_objects (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      PRIMARY KEY (type, external_id)
    ) WITHOUT ROWID;
    CREATE INDEX external_ids_by_mo ON external_ids (mo_id, seq);

    CREATE TABLE device_requests (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL UNIQUE,
      status TEXT NOT NULL CHECK (status IN ('WAITING_FOR_CONNECTION', 'PENDING_ACCEPTANCE', 'ACCEPTED', 'BLOCKED')),
      owner TEXT NOT NULL,
      creation_time TEXT NOT NULL,
      group_id TEXT,
      type TEXT,
      security_token TEXT,
      custom_properties TEXT NOT NULL DEFAULT '{}'
    );

    CREATE TABLE operations (
      id INTEGER PRIMARY KEY,
      device_id INTEGER NOT NULL,
      agent_id INTEGER,
      status TEXT NOT NULL CHECK (status IN ('PENDING', 'EXECUTING', 'SUCCESSFUL', 'FAILED')),
      creation_time TEXT NOT NULL,
      failure_reason TEXT,
      bulk_operation_id INTEGER,
      fragments TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX operations_agent ON operations (agent_id, status, id);
    CREATE INDEX operations_device ON operations (device_id, status, id);
    CREATE INDEX operations_status ON operations (status, id);
    CREATE INDEX operations_time ON operations (creation_time, id);
  `,
});

migrations.push({
  id: "0003-devicecontrol",
  up: `
    -- The generated device password lives here only between acceptance and delivery: the row is deleted when the
    -- device fetches its credentials (docs/emulator-device-control.md). token_failures counts wrong security tokens.
    ALTER TABLE device_requests ADD COLUMN pending_password TEXT;
    ALTER TABLE device_requests ADD COLUMN token_failures INTEGER NOT NULL DEFAULT 0;

    -- groupId of a delivered registration: the first device the device user creates is put into this group.
    CREATE TABLE device_group_assignments (
      username TEXT PRIMARY KEY,
      group_id INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
  `,
});

migrations.push({
  id: "0004-inventory-text",
  up: `
    -- Full-text index for GET /inventory/managedObjects?text=… over id, type, name, owner and external id values
    -- (docs/emulator-inventory.md). Kept in sync by triggers, so every writer (REST, device registration) is covered.
    -- The tokenizer splits on whitespace and any punctuation except the characters listed in tokenchars, so
    -- "c8y_Linux" or "00:1A:2B" stay single tokens while "/", "-" and "." separate, as the platform tokenises.
    CREATE VIRTUAL TABLE mo_text USING fts5(
      mo_id, type, name, owner, external_ids,
      tokenize = "unicode61 remove_diacritics 2 tokenchars '_:@#$%&+=!?,;~^()[]{}<>|\\'",
      prefix = '2 3'
    );

    CREATE TRIGGER mo_text_insert AFTER INSERT ON managed_objects BEGIN
      INSERT INTO mo_text (rowid, mo_id, type, name, owner, external_ids)
      VALUES (NEW.id, NEW.id, NEW.type, NEW.name, NEW.owner,
        (SELECT group_concat(external_id, ' ') FROM external_ids WHERE mo_id = NEW.id));
    END;
    CREATE TRIGGER mo_text_update AFTER UPDATE OF type, name, owner ON managed_objects BEGIN
      DELETE FROM mo_text WHERE rowid = OLD.id;
      INSERT INTO mo_text (rowid, mo_id, type, name, owner, external_ids)
      VALUES (NEW.id, NEW.id, NEW.type, NEW.name, NEW.owner,
        (SELECT group_concat(external_id, ' ') FROM external_ids WHERE mo_id = NEW.id));
    END;
    CREATE TRIGGER mo_text_delete AFTER DELETE ON managed_objects BEGIN
      DELETE FROM mo_text WHERE rowid = OLD.id;
    END;
    -- External ids change the row of their object; the SELECT finds nothing once the object itself is gone.
    CREATE TRIGGER mo_text_external_insert AFTER INSERT ON external_ids BEGIN
      DELETE FROM mo_text WHERE rowid = NEW.mo_id;
      INSERT INTO mo_text (rowid, mo_id, type, name, owner, external_ids)
      SELECT m.id, m.id, m.type, m.name, m.owner,
        (SELECT group_concat(external_id, ' ') FROM external_ids WHERE mo_id = m.id)
      FROM managed_objects m WHERE m.id = NEW.mo_id;
    END;
    CREATE TRIGGER mo_text_external_delete AFTER DELETE ON external_ids BEGIN
      DELETE FROM mo_text WHERE rowid = OLD.mo_id;
      INSERT INTO mo_text (rowid, mo_id, type, name, owner, external_ids)
      SELECT m.id, m.id, m.type, m.name, m.owner,
        (SELECT group_concat(external_id, ' ') FROM external_ids WHERE mo_id = m.id)
      FROM managed_objects m WHERE m.id = OLD.mo_id;
    END;

    INSERT INTO mo_text (rowid, mo_id, type, name, owner, external_ids)
    SELECT m.id, m.id, m.type, m.name, m.owner,
      (SELECT group_concat(external_id, ' ') FROM external_ids WHERE mo_id = m.id)
    FROM managed_objects m;
  `,
});

migrations.push({
  id: "0005-audit",
  up: `
    -- Audit records (docs/emulator-audit.md). Written by the platform in the transaction of the change they record,
    -- or POSTed by admins. source_id is opaque text (an operation, an object, a bulk operation…); device_id is the
    -- com_cumulocity_model_event_AuditSourceDevice of the record, used for device users' visibility.
    CREATE TABLE audit_records (
      id INTEGER PRIMARY KEY,
      type TEXT NOT NULL,
      source_id TEXT NOT NULL,
      device_id INTEGER,
      username TEXT,
      application TEXT,
      activity TEXT NOT NULL,
      text TEXT NOT NULL,
      severity TEXT NOT NULL,
      time TEXT NOT NULL,
      creation_time TEXT NOT NULL,
      changes TEXT,
      fragments TEXT NOT NULL DEFAULT '{}'
    );
    -- Every list filter has an index that also yields the order (time, id), so a page is an index range scan.
    -- The history of one operation (source + type, as the vendor UI asks) is the one that must stay fast.
    CREATE INDEX audit_by_source ON audit_records (source_id, type, time, id);
    CREATE INDEX audit_by_type ON audit_records (type, time, id);
    CREATE INDEX audit_by_user ON audit_records (username, time, id);
    CREATE INDEX audit_by_application ON audit_records (application, time, id);
    CREATE INDEX audit_by_device ON audit_records (device_id, time, id);
    CREATE INDEX audit_by_time ON audit_records (time, id);
    -- Audit records cannot be changed or deleted, whoever asks (the API has no such call either).
    CREATE TRIGGER audit_records_immutable BEFORE UPDATE ON audit_records BEGIN
      SELECT RAISE(ABORT, 'audit records cannot be changed');
    END;
    CREATE TRIGGER audit_records_undeletable BEFORE DELETE ON audit_records BEGIN
      SELECT RAISE(ABORT, 'audit records cannot be deleted');
    END;
  `,
});

migrations.push({
  id: "0006-operation-delivery",
  up: `
    -- The delivery fragment of operations: {status, time, log}, maintained by the platform (docs/emulator-device-control.md).
    -- Older rows get the creation state; a "delivery" a client sent back then was kept as a fragment and goes now.
    ALTER TABLE operations ADD COLUMN delivery TEXT;
    UPDATE operations SET delivery = json_object('status', 'PENDING', 'time', creation_time, 'log', json('[]')),
      fragments = json_remove(fragments, '$.delivery');
  `,
});

migrations.push({
  id: "0007-bulk-operations",
  up: `
    -- Bulk operations (docs/emulator-bulk-operations.md). Targets are resolved at creation and kept in
    -- bulk_operation_targets; created counts the targets already handled (child created, or skipped because the
    -- device was gone) and is written in the transaction of each child, so a restart goes on where it stopped.
    -- next_at is when the next child is due (ms since the epoch). The progress counters follow the children's
    -- status in the transaction of each change (a hook of the operations service); total is progress.all.
    CREATE TABLE bulk_operations (
      id INTEGER PRIMARY KEY,
      group_id INTEGER,
      failed_parent_id INTEGER,
      start_date TEXT NOT NULL,
      creation_ramp REAL NOT NULL,
      prototype TEXT NOT NULL,
      note TEXT,
      status TEXT NOT NULL CHECK (status IN ('ACTIVE', 'IN_PROGRESS', 'COMPLETED', 'DELETED')),
      general_status TEXT NOT NULL CHECK (general_status IN
        ('SCHEDULED', 'EXECUTING', 'EXECUTING_WITH_ERROR', 'SUCCESSFUL', 'FAILED', 'CANCELED')),
      marked_successful INTEGER NOT NULL DEFAULT 0,
      total INTEGER NOT NULL,
      created INTEGER NOT NULL DEFAULT 0,
      next_at INTEGER NOT NULL,
      pending INTEGER NOT NULL DEFAULT 0,
      executing INTEGER NOT NULL DEFAULT 0,
      successful INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      owner TEXT NOT NULL,
      application TEXT,
      creation_time TEXT NOT NULL,
      CHECK ((group_id IS NULL) <> (failed_parent_id IS NULL))
    );
    CREATE INDEX bulk_by_general_status ON bulk_operations (general_status, id);
    CREATE INDEX bulk_by_start_date ON bulk_operations (start_date, id);
    -- The ones the runner picks up at start.
    CREATE INDEX bulk_runnable ON bulk_operations (status) WHERE status IN ('ACTIVE', 'IN_PROGRESS');

    CREATE TABLE bulk_operation_targets (
      bulk_id INTEGER NOT NULL REFERENCES bulk_operations (id),
      seq INTEGER NOT NULL,
      device_id INTEGER NOT NULL,
      PRIMARY KEY (bulk_id, seq)
    ) WITHOUT ROWID;

    -- The single operations of one bulk operation (failedParentId, the bulkOperationId filter of the list).
    CREATE INDEX operations_bulk ON operations (bulk_operation_id, status, id) WHERE bulk_operation_id IS NOT NULL;
  `,
});
