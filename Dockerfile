# Builds the silo host (src/JobScheduler.Silo) into a non-root runtime image.
#   docker build -t jobscheduler-silo .
#   docker run --rm -p 8080:8080 jobscheduler-silo
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
RUN dotnet publish src/JobScheduler.Silo -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Listen on every interface: without a URL setting the silo binds http://localhost:8080 only.
ENV ASPNETCORE_URLS=http://+:8080
# 8080: HTTP gateway, dashboard (/dashboard) and health (/health/live, /health/ready).
# 11111: silo-to-silo traffic. 30000: gateway for embedded Orleans clients.
# NOTE: in dev mode (the only mode built so far) Orleans uses localhost clustering and listens on
# 127.0.0.1 inside the container, so ports 11111 and 30000 are not reachable from outside it yet.
EXPOSE 8080 11111 30000
# NOTE: no HEALTHCHECK yet. The runtime image has no curl or wget, so the check will run a
# `healthcheck` command of the silo binary, which is not built yet.
USER $APP_UID
ENTRYPOINT ["dotnet", "JobScheduler.Silo.dll"]
