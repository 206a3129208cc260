import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The topic/type suggester's trained models, the suggestions shown to operators and what the
 * operators chose. Models are stored whole (serialised weights, no training text), one row per
 * facet and version, so every server instance loads the newest. A one-row lease makes sure only
 * one instance trains at a time. Suggestions keep no text: only the codes proposed, their
 * confidences and the model that proposed them.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table classification_models (
      id uuid primary key default gen_random_uuid(),
      facet text not null check (facet ~ '^[a-z_]{1,40}$'),
      version integer not null check (version > 0),
      taxonomy_version text not null,
      trigger text not null check (trigger in ('manual','schedule','startup')),
      trained_by uuid references users(id) on delete set null,
      trained_at timestamptz not null default now(),
      train_ms integer not null check (train_ms >= 0),
      training_counts jsonb not null,
      metrics jsonb not null,
      model_format integer not null,
      model_bytes integer not null check (model_bytes >= 0),
      model text not null,
      unique (facet, version)
    )`.execute(db);

  await sql`
    create table classification_training_lease (
      id integer primary key check (id = 1),
      holder text,
      acquired_at timestamptz,
      expires_at timestamptz not null
    )`.execute(db);
  await sql`insert into classification_training_lease (id, holder, acquired_at, expires_at) values (1, null, null, '1970-01-01T00:00:00Z')`.execute(db);

  await sql`
    create table classification_suggestions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      organisation_id uuid references organisations(id) on delete cascade,
      text_length integer not null check (text_length >= 0),
      suggested jsonb not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index classification_suggestions_created_idx on classification_suggestions (created_at)`.execute(db);

  await sql`
    create table classification_feedback (
      id uuid primary key default gen_random_uuid(),
      suggestion_id uuid not null references classification_suggestions(id) on delete cascade,
      model_id uuid not null references classification_models(id) on delete cascade,
      model_version integer not null,
      facet text not null,
      suggested_code text not null,
      chosen_code text not null,
      chosen_rank integer check (chosen_rank between 1 and 3),
      ticket_id uuid references tickets(id) on delete set null,
      user_id uuid not null references users(id) on delete cascade,
      organisation_id uuid references organisations(id) on delete cascade,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (suggestion_id, facet)
    )`.execute(db);
  await sql`create index classification_feedback_model_idx on classification_feedback (model_id)`.execute(db);
  await sql`create index classification_feedback_ticket_idx on classification_feedback (ticket_id) where ticket_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists classification_feedback`.execute(db);
  await sql`drop table if exists classification_suggestions`.execute(db);
  await sql`drop table if exists classification_training_lease`.execute(db);
  await sql`drop table if exists classification_models`.execute(db);
}
