using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Web.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Api;

/// <summary>
/// Where the API reads the history from: the database the recorder writes (Recorder:Format with sqlite or postgres),
/// else the in-memory rings. Resolved once.
/// </summary>
internal sealed class ApiHistory(IServiceProvider services, RecentMessageLog recent, RecentDeliveryLog recentDeliveries)
{
    private readonly RecordedHistory? recorded = services.GetService<RecordedHistory>();

    public RecentMessageLog Recent => recent;

    public IMessageHistory Messages => recorded?.Messages ?? recent;

    public IDeliveryHistory Deliveries => recorded?.Deliveries ?? recentDeliveries;

    public bool RecordsDeliveries => services.GetService<IOptions<RecorderOptions>>()?.Value is { Enabled: true, RecordDeliveries: true };
}
