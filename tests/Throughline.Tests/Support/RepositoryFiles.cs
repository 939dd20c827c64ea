namespace Throughline.Tests.Support;

/// <summary>Files of the repository itself (docs, examples), found from the test's output folder.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Throughline.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Throughline.slnx above {AppContext.BaseDirectory}.");
    }
}
