namespace PBServices.Allocation.Pabulib;

/// <summary>Ballot formats of the Pabulib standard that this engine counts.</summary>
public enum VoteType
{
    Approval,
    ChooseOne,
    Cumulative,
    Ordinal,
}

public static class VoteTypes
{
    public static string ToPabulib(this VoteType type) => type switch
    {
        VoteType.Approval => "approval",
        VoteType.ChooseOne => "choose-1",
        VoteType.Cumulative => "cumulative",
        VoteType.Ordinal => "ordinal",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string text, out VoteType type)
    {
        switch (text)
        {
            case "approval": type = VoteType.Approval; return true;
            case "choose-1": type = VoteType.ChooseOne; return true;
            case "cumulative": type = VoteType.Cumulative; return true;
            case "ordinal": type = VoteType.Ordinal; return true;
            default: type = default; return false;
        }
    }
}
