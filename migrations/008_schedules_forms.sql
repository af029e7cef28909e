-- Up Migration
-- Schedules (DESIGN §10): each row is a Temporal Schedule `sched:<organization>:<id>`. The row
-- keeps what the organization asked for (listing never depends on Temporal's visibility, which
-- lags); whether it is paused is Temporal's to say.
CREATE TABLE schedules (
  organization_id  text NOT NULL REFERENCES organizations (id),
  id               text NOT NULL,
  graph_id         text NOT NULL,
  graph_version    integer NOT NULL,
  spec             jsonb NOT NULL,
  overlap          text NOT NULL CHECK (overlap IN ('skip', 'buffer', 'allow')),
  input            jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);

-- The schedule that started an execution (null for every other start).
ALTER TABLE executions ADD COLUMN schedule_id text;

-- A trigger's optional CEL condition over `event` ({id, type, payload}).
ALTER TABLE triggers ADD COLUMN filter text;

-- Forms: a submission starts the form's graph (latest version at submission when null).
CREATE TABLE forms (
  organization_id  text NOT NULL REFERENCES organizations (id),
  id               text NOT NULL,
  graph_id         text NOT NULL,
  graph_version    integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, id)
);

-- Submissions, idempotent by (organization, form, submission id): a repeat answers the
-- executions the first one started.
CREATE TABLE form_submissions (
  organization_id  text NOT NULL REFERENCES organizations (id),
  form_id          text NOT NULL,
  submission_id    text NOT NULL,
  execution_ids    text[] NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, form_id, submission_id)
);

-- The `submitter` role: a key that can only submit forms.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'operator', 'viewer', 'submitter'));
