namespace Lute.Host.Store;

/// <summary>
/// Creates the files and folders of a run's record (the store, run logs, reports) with the permissions the
/// configuration asks for, whatever the umask: on a shared login node they hold every run's parameters and results.
/// Files that already exist keep the permissions they have.
/// </summary>
public static class PrivateFiles
{
    /// <summary>0600: only the owner reads and writes.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0640: the file's group may read too (<c>store_mode: 0640</c>).</summary>
    public const UnixFileMode GroupReadable = OwnerOnly | UnixFileMode.GroupRead;

    /// <summary>The mode of a folder that holds files of <paramref name="fileMode"/>: 0700, or 0750 for group-readable files.</summary>
    public static UnixFileMode FolderMode(UnixFileMode fileMode) =>
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | ((fileMode & UnixFileMode.GroupRead) != 0 ? UnixFileMode.GroupRead | UnixFileMode.GroupExecute : UnixFileMode.None);

    /// <summary>Creates <paramref name="folder"/> and its missing parents with the folder mode of <paramref name="fileMode"/>.</summary>
    public static void CreateFolder(string folder, UnixFileMode fileMode)
    {
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, FolderMode(fileMode));
        }
    }

    /// <summary>Creates <paramref name="path"/> (empty) with <paramref name="mode"/> if it does not exist; an existing file is left as it is.</summary>
    public static void Touch(string path, UnixFileMode mode)
    {
        using var stream = Open(path, FileMode.OpenOrCreate, mode);
    }

    /// <summary>Opens <paramref name="path"/> for writing; a file it creates gets <paramref name="mode"/>.</summary>
    public static FileStream Open(string path, FileMode fileMode, UnixFileMode mode) =>
        new(path, new FileStreamOptions
        {
            Mode = fileMode,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite,
            UnixCreateMode = mode,
        });
}
