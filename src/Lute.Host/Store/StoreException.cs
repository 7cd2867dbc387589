using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>The result store cannot be opened, read or written.</summary>
public sealed class StoreException(string message, Exception? innerException = null) : LuteException(message, innerException);
