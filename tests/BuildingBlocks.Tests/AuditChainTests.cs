using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.BuildingBlocks.Tests;

/// <summary>The hash and the chain check on their own, without a database; and who an actor is.</summary>
public sealed class AuditChainTests
{
    private static readonly Guid ProcessId = Guid.Parse("0190a3f5-7c1e-7b2a-9d4e-5f6a7b8c9d0e");

    [Fact]
    public void The_hash_is_SHA_256_of_the_documented_length_prefixed_fields()
    {
        var entry = new AuditEntry(7, new DateTimeOffset(2027, 3, 14, 15, 9, 26, TimeSpan.FromHours(-5)).AddTicks(5358), "sub-1", "process-admin", "180301",
            ProcessId, "list.project-dropped", "proposal-9", """{"title":"Muro de contención"}""", null, AuditChain.GenesisHash, Hash: "");

        // Written out by hand from the format AuditChain.ComputeHash documents (UTC, microseconds; "ó" is two UTF-8 bytes).
        var documented = "pb-audit-v1\n" + "1:7\n" + "27:2027-03-14T20:09:26.000535Z\n" + "5:sub-1\n" + "13:process-admin\n" + "6:180301\n"
            + "36:0190a3f5-7c1e-7b2a-9d4e-5f6a7b8c9d0e\n" + "20:list.project-dropped\n" + "10:proposal-9\n" + "31:{\"title\":\"Muro de contención\"}\n"
            + "-\n" + "64:" + new string('0', 64) + "\n";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(documented))), AuditChain.ComputeHash(entry));
    }

    [Fact]
    public void Moving_text_from_one_field_to_the_next_changes_the_hash()
    {
        var entry = Entry(1, AuditChain.GenesisHash);
        Assert.NotEqual(AuditChain.ComputeHash(entry with { Subject = "ab", Role = "c" }), AuditChain.ComputeHash(entry with { Subject = "a", Role = "bc" }));
        Assert.NotEqual(AuditChain.ComputeHash(entry with { Reason = null }), AuditChain.ComputeHash(entry with { Reason = "-" }));
        Assert.NotEqual(AuditChain.ComputeHash(entry with { ProcessId = null }), AuditChain.ComputeHash(entry with { ProcessId = ProcessId }));
    }

    [Fact]
    public void An_intact_chain_verifies_with_its_number_of_entries()
    {
        var chain = Chain(4);
        Assert.Equal(AuditVerification.Intact(4), AuditChain.Verify(chain));
        Assert.Equal(AuditVerification.Intact(4), AuditChain.Verify(chain, new AuditHead(4, chain[^1].Hash)));
        Assert.Equal(AuditVerification.Intact(0), AuditChain.Verify([], new AuditHead(0, AuditChain.GenesisHash)));
    }

    [Fact]
    public void A_first_entry_that_does_not_start_from_the_genesis_hash_breaks_the_chain_at_1()
    {
        var first = Entry(1, new string('a', 64));
        var verification = AuditChain.Verify([first with { Hash = AuditChain.ComputeHash(first) }]);
        Assert.Equal((false, 1L, 0L), (verification.Ok, verification.FirstBrokenSequence!.Value, verification.Entries));
        Assert.Contains("genesis", verification.Reason);
    }

    [Fact]
    public void Each_kind_of_break_is_reported_at_its_entry()
    {
        var chain = Chain(5);
        Assert.Equal(3, AuditChain.Verify([.. chain.Where(e => e.Sequence != 3)]).FirstBrokenSequence);
        Assert.Equal(2, AuditChain.Verify([chain[0], chain[2], chain[1], chain[3], chain[4]]).FirstBrokenSequence);
        Assert.Equal(4, AuditChain.Verify([.. chain.Select(e => e.Sequence == 4 ? e with { Jurisdiction = "150101" } : e)]).FirstBrokenSequence);
        Assert.Equal(5, AuditChain.Verify(chain[..4], new AuditHead(5, chain[4].Hash)).FirstBrokenSequence);
        var verification = AuditChain.Verify(chain, new AuditHead(5, new string('b', 64)));
        Assert.Equal((false, 5L), (verification.Ok, verification.FirstBrokenSequence!.Value));
    }

    [Fact]
    public void New_values_become_the_same_canonical_json_whatever_the_order_of_their_properties()
    {
        var one = CanonicalJson.Serialize(new { Name = "Ñuñoa", Cost = 12.50m, Items = new object[] { new { Z = 1, A = 2 } }, Note = (string?)null });
        var other = CanonicalJson.Serialize(new { Note = (string?)null, Items = new object[] { new { A = 2, Z = 1 } }, Cost = 12.50m, Name = "Ñuñoa" });
        Assert.Equal("""{"cost":12.50,"items":[{"a":2,"z":1}],"name":"Ñuñoa","note":null}""", one);
        Assert.Equal(one, other);
    }

    [Fact]
    public void An_actor_is_the_tokens_subject_first_role_and_jurisdiction()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "agent-7"), new Claim("role", "process-admin"), new Claim("role", "oversight"), new Claim("jurisdiction", "180301")], "Bearer"));
        Assert.Equal(new Actor("agent-7", "process-admin", "180301"), Actor.From(user));
        Assert.Equal(new Actor("service:deliberation", "system", "180301"), Actor.System("deliberation", "180301"));

        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim("role", "resident"), new Claim("jurisdiction", "180301")], "Bearer"));
        Assert.Throws<ForbiddenException>(() => Actor.From(anonymous));
    }

    private static AuditEntry Entry(long sequence, string previousHash) =>
        new(sequence, new DateTimeOffset(2027, 1, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(sequence), "sub-1", "technical-team", "180301",
            ProcessId, "proposal.assessed", $"proposal-{sequence}", $$"""{"score":{{sequence * 10}}}""", null, previousHash, Hash: "");

    private static AuditEntry[] Chain(int length)
    {
        var chain = new List<AuditEntry>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= length; i++)
        {
            var entry = Entry(i, previous);
            entry = entry with { Hash = AuditChain.ComputeHash(entry) };
            chain.Add(entry);
            previous = entry.Hash;
        }
        return [.. chain];
    }
}
