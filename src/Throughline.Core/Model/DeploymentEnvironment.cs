namespace Throughline.Model;

/// <summary>An environment deployments go to.</summary>
/// <param name="Id">The environment's id, as tools name it in deployment events.</param>
/// <param name="IsProduction">True when deployments here count for the DORA metrics; false by default.</param>
public sealed record DeploymentEnvironment(string Id, bool IsProduction);
