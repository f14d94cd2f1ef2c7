using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Worktime.Api.Data;

/// <summary>
/// One SELECT on an open SQLite connection, stepped and read through SQLite's C API
/// (https://www.sqlite.org/cintro.html) instead of <see cref="SqliteDataReader"/>. Every call the provider makes
/// passes the statement as a <see cref="SafeHandle"/>, which costs an interlocked add-ref and release per call, and
/// a 100-row page makes thousands of column calls: in the profile of the month findAll those two took a fifth of
/// the server's CPU (docs/benchmarks.md, "fourth pass"). Here the statement is prepared and bound through the
/// provider as usual, referenced once for the life of the query, and its rows are read with plain calls on the
/// handle. Errors are the provider's own <see cref="SqliteException"/>, so they are classified as before.
/// </summary>
internal sealed class SqliteQuery : IDisposable
{
    // https://www.sqlite.org/c3ref/c_blob.html
    public const int Integer = 1;
    public const int Float = 2;
    public const int Text = 3;
    public const int Blob = 4;
    public const int Null = 5;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly IntPtr _handle;
    private bool _referenced;

    /// <summary>Prepares <paramref name="sql"/> and binds every parameter it names (by name, <c>@p0</c> ...).</summary>
    /// <exception cref="SqliteException">The SQL does not prepare or a value does not bind.</exception>
    /// <exception cref="InvalidOperationException">The SQL names a parameter without a value (a bug in the caller).</exception>
    public SqliteQuery(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        try
        {
            var bound = 0;
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(_statement, name);
                if (index > 0)
                {
                    Check(Bind(index, value));
                    bound++;
                }
            }
            if (bound != raw.sqlite3_bind_parameter_count(_statement))
            {
                throw new InvalidOperationException("The SQL names a parameter that has no value.");
            }
            _statement.DangerousAddRef(ref _referenced);
            _handle = _statement.DangerousGetHandle();
        }
        catch
        {
            _statement.Dispose();
            throw;
        }
    }

    /// <summary>Whether every value is of a type this class binds (the rest go through the provider's reader).</summary>
    public static bool CanBind(IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        foreach (var (_, value) in parameters)
        {
            if (value is not (null or long or int or double or string or bool))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Moves to the next row; false after the last one.</summary>
    /// <exception cref="SqliteException">SQLite failed the step (busy past the timeout, I/O, corruption ...).</exception>
    public bool Step()
    {
        var rc = Native.sqlite3_step(_handle);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return false;
    }

    /// <summary>How many columns the result has.</summary>
    public int ColumnCount => raw.sqlite3_column_count(_statement);

    /// <summary>The names of the result columns, in order (read once per query, not once per lookup).</summary>
    public string[] ColumnNames()
    {
        var names = new string[raw.sqlite3_column_count(_statement)];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = raw.sqlite3_column_name(_statement, i).utf8_to_string();
        }
        return names;
    }

    /// <summary>
    /// The current row's value in a column, whose storage class and contents are then read without entering the
    /// connection's mutex again: in SQLite's default (serialized) mode every <c>sqlite3_column_*</c> call locks and
    /// unlocks it, and those pairs were a tenth of a page's CPU. SQLite calls such a value "unprotected"
    /// (https://www.sqlite.org/c3ref/value.html): safe while no other thread uses the connection, which holds for a
    /// query, and valid until the next <see cref="Step"/>.
    /// </summary>
    public Cell CellAt(int column) => new(Native.sqlite3_column_value(_handle, column));

    /// <summary>The storage class of the current row's value: <see cref="Integer"/> ... <see cref="Null"/>.</summary>
    public int TypeOf(int column) => Native.sqlite3_column_type(_handle, column);

    public long Int64(int column) => Native.sqlite3_column_int64(_handle, column);

    public double Double(int column) => Native.sqlite3_column_double(_handle, column);

    /// <summary>The value as UTF-8 text decoded (SQLite converts numbers); empty for NULL.</summary>
    public string String(int column)
    {
        // text first, then its length (https://www.sqlite.org/c3ref/column_blob.html)
        var text = Native.sqlite3_column_text(_handle, column);
        return text == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(text, Native.sqlite3_column_bytes(_handle, column));
    }

    /// <summary>The value as the provider's reader returns it (long, double, string, byte[]), null for NULL.</summary>
    public object? Value(int column) => TypeOf(column) switch
    {
        Integer => Int64(column),
        Float => Double(column),
        Text => String(column),
        Null => null,
        _ => Bytes(column),
    };

    public void Dispose()
    {
        if (_referenced)
        {
            _statement.DangerousRelease();
            _referenced = false;
        }
        _statement.Dispose();
    }

    private byte[] Bytes(int column)
    {
        var blob = Native.sqlite3_column_blob(_handle, column);
        var bytes = new byte[Native.sqlite3_column_bytes(_handle, column)];
        if (bytes.Length > 0)
        {
            Marshal.Copy(blob, bytes, 0, bytes.Length);
        }
        return bytes;
    }

    private int Bind(int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(_statement, index),
        long l => raw.sqlite3_bind_int64(_statement, index, l),
        int i => raw.sqlite3_bind_int64(_statement, index, i),
        bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(_statement, index, d),
        string s => raw.sqlite3_bind_text(_statement, index, s),
        _ => throw new ArgumentException($"SqliteQuery does not bind {value.GetType().Name} values.", nameof(value)),
    };

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>A value of the current row (<see cref="CellAt"/>). Its readers do not convert: each is for one storage class.</summary>
    public readonly struct Cell(IntPtr value)
    {
        public int Type => Native.sqlite3_value_type(value);

        /// <summary>An <see cref="Integer"/> value.</summary>
        public long Int64 => Native.sqlite3_value_int64(value);

        /// <summary>A <see cref="Float"/> value.</summary>
        public double Double => Native.sqlite3_value_double(value);

        /// <summary>A <see cref="Text"/> value (UTF-8 in the database, so SQLite hands out its own bytes).</summary>
        public string Text
        {
            get
            {
                var text = Native.sqlite3_value_text(value);
                return text == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(text, Native.sqlite3_value_bytes(value));
            }
        }
    }

    /// <summary>
    /// The same bundled library the provider loads (SQLitePCLRaw's <c>e_sqlite3</c>). The column calls only read the
    /// current row of a statement this thread owns, so they skip the GC transition
    /// (<see cref="SuppressGCTransitionAttribute"/>): short, no callbacks into .NET, never waiting on I/O.
    /// </summary>
    private static class Native
    {
        private const string Library = "e_sqlite3";

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_step(IntPtr statement);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern int sqlite3_column_type(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern long sqlite3_column_int64(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern double sqlite3_column_double(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern IntPtr sqlite3_column_text(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern IntPtr sqlite3_column_blob(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern int sqlite3_column_bytes(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern IntPtr sqlite3_column_value(IntPtr statement, int column);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern int sqlite3_value_type(IntPtr value);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern long sqlite3_value_int64(IntPtr value);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern double sqlite3_value_double(IntPtr value);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern IntPtr sqlite3_value_text(IntPtr value);

        [DllImport(Library), DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories), SuppressGCTransition]
        public static extern int sqlite3_value_bytes(IntPtr value);
    }
}
