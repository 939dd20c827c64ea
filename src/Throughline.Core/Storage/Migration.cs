namespace Throughline.Storage;

/// <summary>One versioned step of a provider's schema.</summary>
/// <remarks>Versions start at 1 and rise by one; a migration, once released, is never edited, only followed.</remarks>
/// <param name="Version">The schema version this step brings the database to.</param>
/// <param name="Name">What the step does, recorded in <c>schema_migrations</c>.</param>
/// <param name="Sql">The statements, run in one transaction with the version record.</param>
internal sealed record Migration(int Version, string Name, string Sql);
