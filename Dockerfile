# Builds the silo host (src/JobScheduler.Silo) into a non-root runtime image. The build stage runs
# the same restore and Release build of the solution as CI (.ci/run), then publishes the silo.
#   docker build -t jobscheduler-silo .
#   docker run --rm -p 8080:8080 -e ConnectionStrings__JobScheduler=... -e Auth__SigningKey=... jobscheduler-silo
# NOTE: global.json pins the SDK feature band (10.0.4xx, latest patch); the sdk:10.0 image must
# carry an SDK of that band, or the restore step fails with "A compatible .NET SDK was not found".

# Project files only, at their repository paths, so the restore layer below stays cached
# until a project file or a package version changes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! -name '*.sln' ! -name '*.csproj' ! -name 'global.json' ! -name 'Directory.*.props' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src
COPY --from=projects /src ./
RUN dotnet restore JobScheduler.Orleans.sln
COPY . .
RUN dotnet build JobScheduler.Orleans.sln -c Release --no-restore
RUN dotnet publish src/JobScheduler.Silo -c Release --no-build -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Listen on every interface: without a URL setting the silo binds http://localhost:8080 only.
ENV ASPNETCORE_URLS=http://+:8080
# 8080: REST API, dashboard (/dashboard), health (/health/live, /health/ready) and metrics (/metrics).
# 11111: silo-to-silo traffic. 30000: gateway for embedded Orleans clients (trusted networks only).
# The silo refuses to listen on a non-loopback address without Auth__SigningKey or Auth__Authority
# (with Auth__Audience). For a cluster also set ConnectionStrings__JobScheduler and
# Orleans__AdvertisedIPAddress (the container's address); for the dashboard, Dashboard__Username and
# Dashboard__PasswordHash; to encrypt webhook secrets at rest, Webhooks__SecretEncryptionKey.
# docs/configuration.md lists every option.
EXPOSE 8080 11111 30000
# The runtime image has no curl or wget: the silo binary checks its own readiness endpoint.
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["dotnet", "JobScheduler.Silo.dll", "healthcheck", "--url", "http://127.0.0.1:8080/health/ready", "--timeout", "5"]
USER $APP_UID
ENTRYPOINT ["dotnet", "JobScheduler.Silo.dll"]
