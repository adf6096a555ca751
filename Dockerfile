# EmbeddedBroker: MQTT broker (1883, WebSocket 9001) + CSV/JSON recorder in one image.
#   docker build -t embeddedbroker .
#   docker run -d --name broker -p 1883:1883 -p 9001:9001 -v "$PWD/exports:/data/exports" -v broker-state:/data/state embeddedbroker
# The base images are arguments so machines without access to mcr.microsoft.com can substitute local ones
# (see docs/cli.md, "Docker").
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# Restore first, from the project files only, so source edits do not invalidate the NuGet layer.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/EmbeddedBroker.Protocol/EmbeddedBroker.Protocol.csproj src/EmbeddedBroker.Protocol/
COPY src/EmbeddedBroker.Contracts/EmbeddedBroker.Contracts.csproj src/EmbeddedBroker.Contracts/
COPY src/EmbeddedBroker.Broker/EmbeddedBroker.Broker.csproj src/EmbeddedBroker.Broker/
COPY src/EmbeddedBroker.Client/EmbeddedBroker.Client.csproj src/EmbeddedBroker.Client/
COPY src/EmbeddedBroker.Recorder/EmbeddedBroker.Recorder.csproj src/EmbeddedBroker.Recorder/
COPY src/EmbeddedBroker.Security/EmbeddedBroker.Security.csproj src/EmbeddedBroker.Security/
COPY src/EmbeddedBroker.Persistence.Sqlite/EmbeddedBroker.Persistence.Sqlite.csproj src/EmbeddedBroker.Persistence.Sqlite/
COPY src/EmbeddedBroker/EmbeddedBroker.csproj src/EmbeddedBroker/
RUN dotnet restore src/EmbeddedBroker/EmbeddedBroker.csproj
COPY src/ src/
COPY config/ config/
COPY samples/ samples/
RUN dotnet publish src/EmbeddedBroker/EmbeddedBroker.csproj -c Release -o /app --no-restore

FROM ${RUNTIME_IMAGE}
# The working directory is the data folder: the default Recorder:Output "exports/mqtt_data" lands in /data/exports.
WORKDIR /data
COPY --from=build /app /app
RUN mkdir -p /data/exports /data/state /config && chown -R ${APP_UID}:${APP_UID} /data /config
# Configuration by environment variables (Section__Key), e.g. -e Recorder__Format=csv -e Simulator__Enabled=true.
# Kestrel only serves the ports the app configures; the base image's ASPNETCORE_HTTP_PORTS=8080 is not used.
ENV ASPNETCORE_HTTP_PORTS= \
    DOTNET_gcServer=0 \
    Recorder__Output=/data/exports/mqtt_data \
    Persistence__Path=/data/state/broker.db
USER ${APP_UID}
EXPOSE 1883 9001
# /data/exports: the recorded CSV/JSON. /data/state: the state store (retained messages, persistent sessions and
# their queued messages), so they survive a new container, not only a restart of the same one. /config: an optional
# settings file, used with -e EMBEDDEDBROKER_CONFIG=/config/appsettings.json (or the argument -c /config/appsettings.json).
VOLUME ["/data/exports", "/data/state", "/config"]
# The app itself does an MQTT CONNECT to its own port, then GET /healthz (503 while the recorder cannot write):
# no curl/wget needed in the runtime image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["dotnet", "/app/EmbeddedBroker.dll", "healthcheck"]
# SIGTERM (docker stop) stops the host gracefully: clients disconnected at once (MQTT 5: DISCONNECT 0x8B), recorder
# drained, exit within about a second (at most 8 s, before Docker's SIGKILL at 10 s); exit 1 if messages went unrecorded.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/EmbeddedBroker.dll"]
