using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Storage.Credentials;

/// <summary>
/// The Data Protection key ring in a folder only the service's user can read: the folder is created (or tightened)
/// to 0700 and every key file to 0600 as soon as it is written. On Windows the folder's ACL is left to the admin.
/// </summary>
public sealed class OwnerOnlyXmlRepository : IXmlRepository
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly DirectoryInfo _directory;
    private readonly FileSystemXmlRepository _files;

    public OwnerOnlyXmlRepository(string path, ILoggerFactory loggers)
    {
        _directory = new DirectoryInfo(Path.GetFullPath(path));
        if (OperatingSystem.IsWindows())
        {
            _directory.Create();
        }
        else
        {
            Directory.CreateDirectory(_directory.FullName, FolderMode);
            File.SetUnixFileMode(_directory.FullName, FolderMode);
            Tighten();
        }
        _files = new FileSystemXmlRepository(_directory, loggers);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        Tighten();
    }

    private void Tighten()
    {
        if (OperatingSystem.IsWindows())
            return;
        foreach (var file in _directory.EnumerateFiles("*.xml"))
        {
            if (file.UnixFileMode != FileMode)
                File.SetUnixFileMode(file.FullName, FileMode);
        }
    }
}
