# Throughline as a container: built from source in one stage, run as a non-root user in the next.
#   docker build -t throughline .
#   docker run -p 8080:8080 -v throughline-data:/data throughline
# docs/deployment.md says more (PostgreSQL, the model, several nodes).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Throughline.slnx ./
COPY src/ src/
RUN dotnet publish src/Throughline/Throughline.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The images' own unprivileged user (uid 1654); the database file lives in the /data volume, owned by it.
RUN mkdir -p /data && chown app:app /data
USER app
ENV PATH="/app:${PATH}" \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=6s --start-period=60s --retries=3 \
    CMD ["throughline", "probe", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["throughline"]
CMD ["serve", "--urls", "http://0.0.0.0:8080", "--db", "/data/throughline.db"]
