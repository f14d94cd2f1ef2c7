using System.Runtime.InteropServices;

namespace Worktime.Api.Accounts.Argon2;

/// <summary>
/// The memory libargon2 hashes in. A thread that hashes again and again (the password hasher's own threads, the
/// benchmark's ceiling) calls <see cref="KeepOnThisThread"/> and reuses one buffer, faulted in once, until it calls
/// <see cref="ReleaseThisThread"/>; any other thread gets a fresh allocation that is freed after its hash. The library
/// overwrites the blocks with zeros before it hands them back, so a kept buffer holds nothing of the last password.
/// </summary>
internal static unsafe class HashMemory
{
    [ThreadStatic] private static bool t_keeps;
    [ThreadStatic] private static byte* t_buffer;
    [ThreadStatic] private static nuint t_size;

    public static void KeepOnThisThread() => t_keeps = true;

    /// <summary>Gives this thread's buffer back to the system (an idle hasher should not hold 19 MiB per core).</summary>
    public static void ReleaseThisThread()
    {
        if (t_buffer != null)
        {
            NativeMemory.Free(t_buffer);
            t_buffer = null;
            t_size = 0;
        }
    }

    // allocate_fptr of argon2.h: the library checks *memory for null itself and returns ARGON2_MEMORY_ALLOCATION_ERROR.
    [UnmanagedCallersOnly]
    internal static int Allocate(byte** memory, nuint bytes)
    {
        *memory = null;
        try
        {
            if (!t_keeps)
            {
                *memory = (byte*)NativeMemory.Alloc(bytes);
                return 0;
            }
            if (t_size < bytes)
            {
                ReleaseThisThread();
                t_buffer = (byte*)NativeMemory.Alloc(bytes);
                NativeMemory.Clear(t_buffer, bytes); // fault every page in now, once, not during each hash
                t_size = bytes;
            }
            *memory = t_buffer;
        }
#pragma warning disable CA1031 // an exception must not cross into native code; a null block makes the library fail the hash
        catch (OutOfMemoryException)
#pragma warning restore CA1031
        {
        }
        return 0;
    }

    // deallocate_fptr of argon2.h; called after the library has wiped the blocks.
    [UnmanagedCallersOnly]
    internal static void Free(byte* memory, nuint bytes)
    {
        if (memory != t_buffer)
        {
            NativeMemory.Free(memory);
        }
    }
}
