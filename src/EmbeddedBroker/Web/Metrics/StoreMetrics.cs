using System.Diagnostics.Metrics;
using EmbeddedBroker.Persistence.Sqlite;

namespace EmbeddedBroker.Web.Metrics;

/// <summary>The state store on /metrics (created only when persistence is on): size, what waits to be committed, and
/// what was lost, so a full disk or a slow one shows as a rising pending figure and dropped changes, not silence.</summary>
public sealed class StoreMetrics
{
    public const string MeterName = "EmbeddedBroker.Store";

    public StoreMetrics(PersistenceStatistics store, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("embeddedbroker.store.size", () => store.FileBytes, "By",
            "Bytes on disk of the store file and its write-ahead log, as of the last commit.");
        meter.CreateObservableGauge("embeddedbroker.store.pending.changes", () => store.PendingChanges, "{change}",
            "Changes handed to the store and not yet committed.");
        meter.CreateObservableGauge("embeddedbroker.store.pending.size", () => store.PendingBytes, "By",
            "Estimated bytes of the changes not yet committed (bounded by Persistence:MaximumPendingBytes).");
        meter.CreateObservableCounter("embeddedbroker.store.commits", () => store.Commits, "{transaction}",
            "Transactions committed since start.");
        meter.CreateObservableCounter("embeddedbroker.store.write_errors", () => store.WriteErrors, "{error}",
            "Failed attempts to open or write the store (each retried with back-off).");
        meter.CreateObservableCounter("embeddedbroker.store.dropped", () => store.DroppedChanges, "{change}",
            "Changes lost: the pending bound was full or the disk refused them at shutdown.");
        meter.CreateObservableGauge("embeddedbroker.store.degraded", () => store.Degraded ? 1 : 0, "1",
            "1 while the store file may lag the broker's state (changes were dropped; cleared by the next resynchronisation).");
    }
}
