namespace PBServices.TechnicalAssessment.Infrastructure;

internal static class AssessmentSchema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS assessments (
            id            uuid PRIMARY KEY,
            -- One assessment per proposal, however often ProposalSubmitted is delivered.
            proposal_id   uuid          NOT NULL UNIQUE,
            process_id    uuid          NOT NULL,
            jurisdiction  text          NOT NULL,
            title         text          NOT NULL,
            cost          numeric(16,2) NOT NULL,
            status        text          NOT NULL,
            viable        boolean       NULL,
            score         numeric(6,2)  NULL CHECK (score BETWEEN 0 AND 100),
            reasons       text          NULL,
            assessor      text          NULL,
            queued_at     timestamptz   NOT NULL,
            completed_at  timestamptz   NULL
        );
        CREATE INDEX IF NOT EXISTS assessments_queue ON assessments (process_id, status);
        """;
}
