using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Web.Api;
using EmbeddedBroker.Web.Health;
using EmbeddedBroker.Web.Listeners;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Metrics;
using EmbeddedBroker.Web.Options;
using EmbeddedBroker.Web.Security;
using EmbeddedBroker.Web.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web;

/// <summary>
/// Everything served over HTTP: MQTT over WebSocket (port 9001 by default), the JSON API, /healthz, /metrics, the
/// dashboard and the sample pages. The host calls <see cref="AddWebEndpoints"/> before Build and
/// <see cref="MapWebEndpoints"/> after it.
/// </summary>
public static class WebEndpointsExtensions
{
    public static WebApplicationBuilder AddWebEndpoints(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddOptions<WebSocketListenerOptions>().Bind(configuration.GetSection(WebSocketListenerOptions.SectionName));
        services.AddOptions<HttpListenerOptions>().Bind(configuration.GetSection(HttpListenerOptions.SectionName));
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();

        services.AddSingleton<WebListenerMap>();
        services.AddApiHistory(configuration);
        services.AddOptions<HttpRequestLimitsOptions>().Bind(configuration.GetSection(HttpRequestLimitsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpRequestLimitsOptions>, HttpRequestLimitsValidator>();
        services.AddSingleton<WebAbuseLog>();
        services.AddHealthChecks()
            .AddCheck<BrokerHealthCheck>("broker")
            .AddCheck<RecorderHealthCheck>("recorder");
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJsonContext.Default));

        WebSecuritySetup.AddWebSecurity(services);
        builder.WebHost.ConfigureKestrel((context, kestrel) => WebListenerSetup.Configure(context.Configuration, kestrel));
        return builder;
    }

    public static WebApplication MapWebEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Read without validating: a bad value is reported by ValidateOnStart when the host starts, with the others.
        var options = app.Configuration.GetSection(WebOptions.SectionName).Get<WebOptions>() ?? new WebOptions();
        var listeners = app.Services.GetRequiredService<WebListenerMap>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebEndpointsExtensions).FullName!);

        WebSecuritySetup.UseHostAndCrossSiteChecks(app);
        if (options.MqttWebSocket.Enabled)
        {
            app.UseMiddleware<WebSocketFrameLimitMiddleware>(); // before UseWebSockets: it wraps the upgraded stream
            app.UseWebSockets();
            app.UseMiddleware<MqttWebSocketMiddleware>();
        }

        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (options.Samples.Enabled)
        {
            MapStaticFolder(app, "/samples", Path.Combine(webRoot, "samples"), options.Samples.On, listeners, logger);
        }

        if (options.Dashboard.Enabled)
        {
            MapStaticFolder(app, "/dashboard", Path.Combine(webRoot, "dashboard"), options.Dashboard.On, listeners, logger, WebSecuritySetup.RequireBrokerUser);
        }

        app.UseRouting();
        app.Use(WebPlacement.Gate(listeners));
        WebSecuritySetup.UseAuthenticationAndAuthorization(app);

        if (options.Dashboard.Enabled)
        {
            app.MapGet("/", () => Results.Redirect("/dashboard/")).WithMetadata(new WebPlacement(options.Dashboard.On));
        }

        if (options.Api.Enabled)
        {
            app.MapApi().WithMetadata(new WebPlacement(options.Api.On)).RequireAuthorization(BrokerUserRequirement.PolicyName);
        }

        if (options.Health.Enabled)
        {
            app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
                .WithMetadata(new WebPlacement(options.Health.On));
        }

        if (options.Metrics.Enabled)
        {
            app.MapMetrics().WithMetadata(new WebPlacement(options.Metrics.On)).RequireAuthorization(BrokerUserRequirement.PolicyName);
        }

        return app;
    }

    private static void MapStaticFolder(WebApplication app, string path, string folder, WebListener on, WebListenerMap listeners, ILogger logger,
        Action<IApplicationBuilder>? guard = null)
    {
        if (!Directory.Exists(folder))
        {
            logger.LogWarning("{Path} is not served: folder {Folder} is missing from the installation", path, folder);
            return;
        }

        var files = new PhysicalFileProvider(folder);
        app.Map(path, branch =>
        {
            WebPlacement.GateBranch(branch, listeners, on);
            guard?.Invoke(branch);
            branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // The pages must never be cached stale against a newer broker; they are tiny.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
    }
}
