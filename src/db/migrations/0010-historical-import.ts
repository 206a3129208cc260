import { type Kysely, sql } from 'kysely';

/*
 * Historical contacts import: an organisation joining the network loads its legacy contacts from a
 * CSV file, mapping its own categories to the shared taxonomy.
 *
 * - history_mappings: per organisation, named and versioned mappings (legacy category / channel /
 *   status → taxonomy codes of one taxonomy version). A new save of the same name is a new version;
 *   old versions stay, so an import always records exactly which mapping it used.
 * - history_imports: one uploaded file and its lifecycle (uploaded → dry run → committed). The file
 *   itself lives on disk under DATA_DIR/history-imports (storage_key) and is deleted on commit.
 * - historical_contacts: the imported contacts, unique per (organisation, source, legacy id) so that
 *   importing the same file again never duplicates.
 *
 * PERSONAL DATA: in historical_contacts the only column that may hold personal data is `text`
 * (the legacy free text / subject, copied verbatim). Every other column is either a code, a date or
 * a legacy category/status/channel label. These rows are held ready for the archive/anonymisation
 * path: `anonymised` is false until that process has redacted `text` (and sets anonymised_at).
 * history_imports.report holds only line numbers, reasons and legacy category values, never text.
 *
 * Frozen in time: this migration never imports application code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table history_mappings (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      name text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      version integer not null check (version >= 1),
      taxonomy_version text not null,
      content jsonb not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (organisation_id, name, version)
    )`.execute(db);

  await sql`
    create table history_imports (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      source text not null check (source ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      filename text not null,
      storage_key text,
      size bigint not null,
      sha256 text not null,
      compression text not null default 'none' check (compression in ('none','gzip')),
      encoding text not null check (encoding in ('utf-8','utf-8-bom','windows-1252')),
      delimiter text not null check (delimiter in (',',';','\t','|')),
      has_header boolean not null,
      columns jsonb not null,
      row_count integer not null,
      settings jsonb,
      mapping_id uuid references history_mappings(id),
      unmapped_policy text check (unmapped_policy in ('skip','unclassified')),
      status text not null default 'uploaded' check (status in ('uploaded','configured','checked','committed')),
      report jsonb,
      imported_count integer not null default 0,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      committed_at timestamptz,
      committed_by uuid references users(id),
      version integer not null default 1
    )`.execute(db);
  await sql`create index history_imports_org_idx on history_imports (organisation_id, created_at desc)`.execute(db);

  await sql`
    create table historical_contacts (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      source text not null,
      import_id uuid not null references history_imports(id),
      legacy_id text not null,
      created_at timestamptz not null,
      closed_at timestamptz,
      legacy_channel text,
      legacy_category text,
      legacy_status text,
      taxonomy_version text not null,
      classification jsonb not null default '{}',
      tema text,
      classified boolean not null,
      text text,
      anonymised boolean not null default false,
      anonymised_at timestamptz,
      imported_at timestamptz not null default now(),
      unique (organisation_id, source, legacy_id)
    )`.execute(db);
  await sql`create index historical_contacts_import_idx on historical_contacts (import_id)`.execute(db);
  await sql`create index historical_contacts_org_tema_idx on historical_contacts (organisation_id, tema, created_at)`.execute(db);
  // The anonymisation process picks up rows still holding personal data.
  await sql`create index historical_contacts_pending_anon_idx on historical_contacts (organisation_id) where anonymised = false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists historical_contacts`.execute(db);
  await sql`drop table if exists history_imports`.execute(db);
  await sql`drop table if exists history_mappings`.execute(db);
}
