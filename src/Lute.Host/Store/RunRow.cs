using Microsoft.Data.Sqlite;

namespace Lute.Host.Store;

/// <summary>The current row of a query over <c>runs</c>, read by column name: each column's place is looked up once per query.</summary>
internal sealed class RunRow
{
    private readonly SqliteDataReader _reader;
    private readonly Dictionary<RunColumn, int> _ordinals;

    /// <summary>Reads <paramref name="reader"/>'s rows; every column of <see cref="RunColumns.All"/> must be selected.</summary>
    public RunRow(SqliteDataReader reader)
    {
        _reader = reader;
        _ordinals = RunColumns.All.ToDictionary(c => c, c => reader.GetOrdinal(c.Name));
    }

    /// <summary>The column's text (NOT NULL columns).</summary>
    public string Text(RunColumn column) => _reader.GetString(_ordinals[column]);

    /// <summary>The column's text, or null.</summary>
    public string? TextOrNull(RunColumn column) => IsNull(column) ? null : Text(column);

    /// <summary>The column's integer (NOT NULL columns).</summary>
    public long Integer(RunColumn column) => _reader.GetInt64(_ordinals[column]);

    /// <summary>The column's 32-bit integer (NOT NULL columns).</summary>
    public int Int32(RunColumn column) => _reader.GetInt32(_ordinals[column]);

    /// <summary>The column's integer, or null.</summary>
    public int? Int32OrNull(RunColumn column) => IsNull(column) ? null : _reader.GetInt32(_ordinals[column]);

    private bool IsNull(RunColumn column) => _reader.IsDBNull(_ordinals[column]);
}
