namespace Throughline.Tests.Support;

public sealed partial class OidcProvider
{
    /// <summary>The provider's users, checked by password, and the record of who signed in.</summary>
    private sealed class Accounts(IReadOnlyList<OidcUser> users)
    {
        private readonly Dictionary<string, OidcUser> _byUserName = users.ToDictionary(user => user.UserName, StringComparer.Ordinal);
        private readonly Dictionary<string, OidcUser> _bySubject = users.ToDictionary(user => user.Subject, StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private readonly List<string> _signIns = [];

        public IReadOnlyList<string> SignIns
        {
            get
            {
                lock (_gate)
                {
                    return [.. _signIns];
                }
            }
        }

        public OidcUser? FindByUserName(string? userName) =>
            userName is not null && _byUserName.TryGetValue(userName, out var user) ? user : null;

        public OidcUser? FindBySubject(string? subject) =>
            subject is not null && _bySubject.TryGetValue(subject, out var user) ? user : null;

        /// <summary>The user whose password this is, recorded as signed in; <see langword="null"/> for a wrong name or password.</summary>
        public OidcUser? SignIn(string userName, string password)
        {
            var user = FindByUserName(userName);
            if (user is null || !string.Equals(user.Password, password, StringComparison.Ordinal))
            {
                return null;
            }

            lock (_gate)
            {
                _signIns.Add(user.UserName);
            }

            return user;
        }
    }
}
