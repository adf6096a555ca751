using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Security;

/// <summary>The all-or-nothing reload both hooks share: load everything, then swap; on any file error keep what is in
/// force, log it and say why.</summary>
internal static class SecurityReload
{
    public static SecurityReloadResult Run(Lock gate, ILogger logger, string what, Action loadAndSwap)
    {
        lock (gate)
        {
            try
            {
                loadAndSwap();
                logger.LogInformation("{What} reloaded", what);
                return SecurityReloadResult.Success;
            }
            catch (SecurityFileException e)
            {
                logger.LogError("{What} reload failed, the previous ones stay in force: {Error}", what, e.Message);
                return new SecurityReloadResult(false, e.Message);
            }
        }
    }
}
