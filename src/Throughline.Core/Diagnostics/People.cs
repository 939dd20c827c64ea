using Throughline.Model;

namespace Throughline.Diagnostics;

/// <summary>Who an actor is in the model: the person whose identity (<c>tool:login</c>) names the login, and their team.</summary>
/// <remarks>
/// An identity matches when its login equals the actor's (ignoring case, as GitHub and GitLab compare logins) and its tool is the
/// event's tool id or that tool's kind (<c>github:alice</c> matches every tool of kind <c>github</c>). When the event's tool is not
/// known, the login alone decides, and only when exactly one person claims it.
/// </remarks>
internal sealed class People
{
    private readonly ILookup<string, (Person Person, string Tool)> _byLogin;

    public People(OperatingModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _byLogin = model.People
            .SelectMany(p => p.Identities.Select(i => (Login: i.Login, Entry: (p, i.Tool))))
            .ToLookup(x => x.Login, x => x.Entry, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The person behind <paramref name="login"/> in <paramref name="tool"/>; null when no identity names them.</summary>
    public Person? Find(string login, Tool? tool)
    {
        var claims = _byLogin[login];
        if (tool is not null)
        {
            return claims.FirstOrDefault(c => c.Tool == tool.Id || c.Tool == tool.Kind.Name).Person;
        }

        var people = claims.Select(c => c.Person).Distinct().Take(2).ToList();
        return people.Count == 1 ? people[0] : null;
    }
}
