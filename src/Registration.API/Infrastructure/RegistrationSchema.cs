using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;

namespace PBServices.Registration.Infrastructure;

/// <summary>The service's schema as numbered migrations; a shipped migration never changes, the next change is the next number.</summary>
/// <remarks>Public so that BuildingBlocks.Tests upgrades a database created before migrations with exactly this list.</remarks>
public static class RegistrationSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "baseline", BuildingBlockSchema.OutboxAndInbox, Baseline),
        new(2, "audit log", AuditSchema.Sql),
        new(3, "trace context", BuildingBlockSchema.OutboxTraceContext),
        new(4, "calendar, rules, organisations, review, objections, training, seats", Preparation),
    ];

    /// <summary>What the service created before migrations existed, unchanged, so such a database upgrades in place.</summary>
    private const string Baseline = """
        CREATE TABLE IF NOT EXISTS processes (
            id             uuid PRIMARY KEY,
            jurisdiction   text          NOT NULL,
            name           text          NOT NULL,
            fiscal_year    int           NOT NULL,
            level          text          NOT NULL,
            budget_ceiling numeric(16,2) NOT NULL CHECK (budget_ceiling > 0),
            stage          text          NOT NULL,
            opened_at      timestamptz   NOT NULL,
            -- One process per jurisdiction and fiscal year, whatever the application code does.
            UNIQUE (jurisdiction, fiscal_year)
        );

        CREATE TABLE IF NOT EXISTS agents (
            id             uuid PRIMARY KEY,
            process_id     uuid        NOT NULL REFERENCES processes (id),
            full_name      text        NOT NULL,
            dni            char(8)     NOT NULL,
            organisation   text        NOT NULL,
            status         text        NOT NULL,
            registered_at  timestamptz NOT NULL,
            accredited_at  timestamptz NULL,
            -- A person registers once per process.
            UNIQUE (process_id, dni)
        );
        """;

    /// <summary>
    /// Preparation as municipalities run it. Processes and agents created before this version keep NULL in the
    /// new columns (no calendar, no application); every row written since carries them, as the checks say.
    /// </summary>
    private const string Preparation = """
        CREATE TABLE jurisdictions (
            code   text PRIMARY KEY CHECK (code ~ '^(0[1-9]|1[0-9]|2[0-5])[0-9]{4}$'),
            level  text NOT NULL,
            parent text NULL REFERENCES jurisdictions (code),
            -- The level is what the ubigeo says: 040000 a region, 040100 a province, 040101 a district.
            CHECK (
                (level = 'Region' AND code LIKE '__0000' AND parent IS NULL)
             OR (level = 'Province' AND code LIKE '____00' AND code NOT LIKE '__0000' AND parent = substr(code, 1, 2) || '0000')
             OR (level = 'District' AND code NOT LIKE '____00' AND substr(code, 3, 2) <> '00' AND parent = substr(code, 1, 4) || '00'))
        );

        INSERT INTO jurisdictions (code, level, parent)
        SELECT DISTINCT substr(jurisdiction, 1, 2) || '0000', 'Region', NULL::text FROM processes WHERE jurisdiction ~ '^(0[1-9]|1[0-9]|2[0-5])[0-9]{4}$'
        ON CONFLICT DO NOTHING;
        INSERT INTO jurisdictions (code, level, parent)
        SELECT DISTINCT substr(jurisdiction, 1, 4) || '00', 'Province', substr(jurisdiction, 1, 2) || '0000' FROM processes
        WHERE jurisdiction ~ '^(0[1-9]|1[0-9]|2[0-5])[0-9]{4}$' AND jurisdiction NOT LIKE '__0000'
        ON CONFLICT DO NOTHING;
        INSERT INTO jurisdictions (code, level, parent)
        SELECT DISTINCT jurisdiction, 'District', substr(jurisdiction, 1, 4) || '00' FROM processes
        WHERE jurisdiction ~ '^(0[1-9]|1[0-9]|2[0-5])[0-9]{4}$' AND jurisdiction NOT LIKE '____00' AND substr(jurisdiction, 3, 2) <> '00'
        ON CONFLICT DO NOTHING;

        ALTER TABLE processes
            ADD COLUMN calendar jsonb NULL,
            ADD COLUMN rules jsonb NULL,
            ADD COLUMN eligible_list_published_at timestamptz NULL,
            ADD CONSTRAINT processes_jurisdiction_fk FOREIGN KEY (jurisdiction) REFERENCES jurisdictions (code) NOT VALID,
            ADD CONSTRAINT processes_calendar_with_rules CHECK ((calendar IS NULL) = (rules IS NULL)),
            -- Peru's rules: at least four on the oversight committee; an organisation registers at least one agent.
            ADD CONSTRAINT processes_rules_minimums CHECK (rules IS NULL OR (
                (rules->>'oversightCommitteeSize')::int >= 4 AND (rules->>'agentsPerOrganisation')::int >= 1
                AND rules->>'allocationRule' IN ('greedy', 'mes', 'mes-add1')));

        CREATE TABLE organisations (
            id              uuid PRIMARY KEY,
            name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            type            text        NOT NULL CHECK (type IN ('NeighbourhoodCommittee', 'WomensOrganisation', 'YouthOrganisation',
                'IndigenousOrPeasantCommunity', 'VasoDeLecheOrComedor', 'Ngo', 'ProfessionalOrBusinessAssociation', 'Other')),
            registry_kind   text        NOT NULL CHECK (registry_kind IN ('Public', 'Municipal')),
            registry_number text        NOT NULL,
            registry_date   date        NOT NULL,
            territory       text        NOT NULL REFERENCES jurisdictions (code),
            active_members  int         NOT NULL CHECK (active_members > 0),
            registered_by   text        NOT NULL,
            registered_at   timestamptz NOT NULL,
            -- One organisation per registry entry: a second registration of it is the same organisation.
            UNIQUE (registry_kind, registry_number)
        );
        CREATE INDEX organisations_territory ON organisations (territory);

        CREATE TABLE applications (
            id              uuid PRIMARY KEY,
            process_id      uuid        NOT NULL REFERENCES processes (id),
            organisation_id uuid        NOT NULL REFERENCES organisations (id),
            channel         text        NOT NULL CHECK (channel IN ('Online', 'Desk')),
            status          text        NOT NULL CHECK (status IN ('Submitted', 'Observed', 'Eligible', 'Rejected')),
            submitted_by    text        NOT NULL,
            submitted_at    timestamptz NOT NULL,
            observations    text        NULL,
            correct_by      date        NULL,
            reasons         text        NULL,
            -- An organisation applies once per process; corrections change that one application.
            UNIQUE (process_id, organisation_id),
            CHECK (status <> 'Observed' OR (observations IS NOT NULL AND correct_by IS NOT NULL)),
            CHECK (status <> 'Rejected' OR reasons IS NOT NULL)
        );
        CREATE INDEX applications_submitted_by ON applications (submitted_by);

        ALTER TABLE agents
            ADD COLUMN application_id uuid NULL REFERENCES applications (id),
            ADD COLUMN role text NULL CHECK (role IN ('Representative', 'Alternate')),
            ADD COLUMN gender text NULL CHECK (gender IN ('Female', 'Male')),
            ADD COLUMN birth_year int NULL CHECK (birth_year BETWEEN 1900 AND 2100),
            ADD COLUMN phone text NULL,
            ADD COLUMN email text NULL,
            ADD COLUMN identity_confirmed_by text NULL,
            ADD COLUMN identity_confirmed_at timestamptz NULL,
            ADD COLUMN identity_method text NULL CHECK (identity_method IN ('DeskCard', 'ScannedCard')),
            ADD CONSTRAINT agents_status_known CHECK (status IN ('Registered', 'Eligible', 'Rejected', 'Excluded', 'Accredited', 'Revoked')),
            ADD CONSTRAINT agents_identity_recorded CHECK ((identity_confirmed_at IS NULL) = (identity_confirmed_by IS NULL)),
            -- Nobody named in an application is found eligible, let alone accredited, before an officer confirms who they are.
            ADD CONSTRAINT agents_eligible_identified CHECK (application_id IS NULL OR status IN ('Registered', 'Rejected') OR identity_confirmed_at IS NOT NULL),
            ADD CONSTRAINT agents_application_details CHECK (application_id IS NULL OR (role IS NOT NULL AND gender IS NOT NULL AND birth_year IS NOT NULL));
        -- One representative per application.
        CREATE UNIQUE INDEX agents_one_representative ON agents (application_id) WHERE role = 'Representative';

        CREATE TABLE objections (
            id          uuid PRIMARY KEY,
            process_id  uuid        NOT NULL REFERENCES processes (id),
            agent_id    uuid        NOT NULL REFERENCES agents (id),
            filed_by    text        NOT NULL,
            grounds     text        NOT NULL,
            evidence    text        NULL,
            filed_at    timestamptz NOT NULL,
            status      text        NOT NULL CHECK (status IN ('Pending', 'Upheld', 'Dismissed')),
            resolution  text        NULL,
            resolved_by text        NULL,
            resolved_at timestamptz NULL,
            -- A person objects to an entry once; the evidence can grow, the objection does not repeat.
            UNIQUE (agent_id, filed_by),
            CHECK ((status = 'Pending') = (resolved_at IS NULL) AND (resolved_at IS NULL) = (resolution IS NULL))
        );
        CREATE INDEX objections_process ON objections (process_id);

        CREATE TABLE documents (
            id             uuid PRIMARY KEY,
            process_id     uuid        NOT NULL REFERENCES processes (id),
            application_id uuid        NULL REFERENCES applications (id),
            objection_id   uuid        NULL REFERENCES objections (id),
            kind           text        NOT NULL CHECK (kind IN ('RegistrationForm', 'RegistryEntry', 'AssemblyAct', 'DniScan', 'Evidence')),
            content_type   text        NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
            size           bigint      NOT NULL CHECK (size BETWEEN 1 AND 10485760),
            sha256         char(64)    NOT NULL,
            content        bytea       NOT NULL,
            uploaded_by    text        NOT NULL,
            uploaded_at    timestamptz NOT NULL,
            CHECK (octet_length(content) = size),
            CHECK ((application_id IS NULL) <> (objection_id IS NULL)),
            CHECK ((kind = 'Evidence') = (objection_id IS NOT NULL))
        );
        CREATE INDEX documents_application ON documents (application_id);

        CREATE TABLE training_sessions (
            id          uuid PRIMARY KEY,
            process_id  uuid NOT NULL REFERENCES processes (id),
            date        date NOT NULL,
            topic       text NOT NULL,
            place       text NULL,
            online_link text NULL CHECK (online_link LIKE 'https://%'),
            CHECK (place IS NOT NULL OR online_link IS NOT NULL)
        );

        CREATE TABLE training_attendance (
            session_id    uuid        NOT NULL REFERENCES training_sessions (id),
            agent_id      uuid        NOT NULL REFERENCES agents (id),
            checked_in_by text        NOT NULL,
            by_self       boolean     NOT NULL,
            at            timestamptz NOT NULL,
            PRIMARY KEY (session_id, agent_id)
        );

        CREATE TABLE seats (
            process_id  uuid        NOT NULL REFERENCES processes (id),
            body        text        NOT NULL CHECK (body IN ('Delegates', 'DirectiveCommittee')),
            seat_number int         NOT NULL CHECK (seat_number > 0),
            agent_id    uuid        NOT NULL REFERENCES agents (id),
            assigned_by text        NOT NULL,
            assigned_at timestamptz NOT NULL,
            -- Two officers assigning at once cannot both take the same seat, nor seat one agent twice.
            PRIMARY KEY (process_id, body, seat_number),
            UNIQUE (process_id, body, agent_id)
        );
        """;
}
