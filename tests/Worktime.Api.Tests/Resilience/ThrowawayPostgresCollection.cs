namespace Worktime.Api.Tests.Resilience;

/// <summary>Tests that share one <see cref="ThrowawayPostgres"/>; a collection runs its tests one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ThrowawayPostgresCollection : ICollectionFixture<ThrowawayPostgres>
{
    public const string Name = "throwaway-postgres";
}
