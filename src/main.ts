import { createHubAccessHandlers } from './access/hub-access.tasks.js';
import { ConfigError } from './config.js';
import { createAuthentication } from './auth/authentication.js';
import { developmentAdmin, signHubStyleToken } from './auth/tokens.js';
import { startLifecycleScheduler } from './employees/employee.lifecycle.js';
import { startTrainingAssignment } from './training/training.service.js';
import { createWorkflowTaskHandlers, startWorkflowScheduler } from './workflows/workflow.service.js';
import { createBusClient } from './events/bus-client.js';
import { createOutboxDispatcher, createPostgresListener } from './events/dispatcher.js';
import { createPostgresListener as listenOn } from './shared/durable/notifications.js';
import { describeConfiguration, integrationSettings } from './integrations/integrations.service.js';
import { createSystemTaskRunner, type SystemTaskHandlers } from './jobs/runner.js';
import { systemTaskChannel } from './jobs/system-tasks.js';
import { createHubClient } from './peers/hub-client.js';
import { seedDemoOrganisationIfEmpty } from './seed/demo-organisation.js';
import { createLegalIntegration, createLegalSync, createLegalTaskHandlers } from './legal/legal.service.js';
import { createPeopleServer } from './server/app.js';
import { explorerPath } from './server/explorer.js';
import { createLogger, resolveLogFormat } from './server/logger.js';
import { startTracing } from './server/tracing.js';
import { systemClock } from './shared/dates.js';
import { formatDurationSeconds } from './shared/durations.js';
import { loadStartupConfiguration } from './startup/configuration.js';
import { explainListenFailure } from './startup/port.js';
import { prepareStart } from './startup/preflight.js';
import { StartupError } from './startup/startup-error.js';

// Entry point: configuration, database, migrations, demo data, HTTP server, graceful shutdown.

async function main(): Promise<void> {
  const { config, secrets } = loadStartupConfiguration();
  const logger = createLogger(
    config.logLevel,
    undefined,
    resolveLogFormat(config.logFormat, process.stdout.isTTY === true, config.environment === 'production'),
  );
  const clock = systemClock(config.businessTimeZone);
  // Before anything else runs, so that nothing escapes the trace context; null (no SDK loaded) when off.
  const tracing = await startTracing(config.tracing);
  if (config.tracing) logger.info({ endpoint: config.tracing.endpoint, serviceName: config.tracing.serviceName }, 'sending traces (OpenTelemetry, OTLP/HTTP)');

  const { database, lock } = await prepareStart(config);
  if (lock?.tookOverFrom) {
    const previous = lock.tookOverFrom === 'unreadable' ? {} : { previousPid: lock.tookOverFrom.pid, previousStart: lock.tookOverFrom.startedAt };
    logger.warn({ file: lock.file, ...previous }, 'took over the lock of the data folder from a People that is no longer running');
  }
  logger.info(
    { database: config.database.kind === 'pglite' ? `embedded (${config.database.dataDir})` : 'postgres (DATABASE_URL)' },
    'database opened',
  );
  await database.migrate();
  logger.info('migrations applied');

  if (config.seedDemoData) {
    const seeded = await seedDemoOrganisationIfEmpty(database.db, clock);
    if (seeded > 0) logger.info({ employees: seeded }, 'demo organisation loaded');
  }

  if (secrets.developmentSecretsFile) {
    logger.warn(
      { file: secrets.developmentSecretsFile },
      'PORTAL_SSO_SECRET/SESSION_SECRET not set: using development secrets kept in DATA_DIR',
    );
  }
  const authentication = createAuthentication(config, database.db, secrets, { logger });

  const dispatcher = createOutboxDispatcher({
    db: database.db,
    kind: database.kind,
    bus: config.bus ? createBusClient(config.bus) : null,
    logger,
    maxAttempts: config.outboxMaxAttempts,
    ...(config.database.kind === 'postgres' ? { listen: createPostgresListener(config.database.url) } : {}),
  });
  await dispatcher.start();
  // A handler for every kind of the task catalog (the type refuses a missing one).
  const legal = createLegalIntegration(config.legal);
  const handlers: SystemTaskHandlers = {
    ...createHubAccessHandlers(config.hub ? createHubClient(config.hub) : null),
    ...createLegalTaskHandlers({ client: legal.client, clock }),
    ...createWorkflowTaskHandlers({ clock }),
  };
  if (!config.hub) logger.warn('HUB_API_URL is not set: Hub access revocations wait until it is (see /ready)');
  const systemTasks = createSystemTaskRunner({
    db: database.db,
    kind: database.kind,
    logger,
    handlers,
    ...(config.database.kind === 'postgres' ? { listen: listenOn(config.database.url, systemTaskChannel) } : {}),
  });
  await systemTasks.start();
  // Legal's policies and statuses, refreshed every LEGAL_SYNC_INTERVAL_MS (one replica at a time).
  const legalSync = createLegalSync({ db: database.db, legal, clock, logger });
  legalSync.start();
  const lifecycle = startLifecycleScheduler({
    db: database.db,
    clock,
    logger,
    intervalMs: config.lifecycleCheckIntervalMs,
  });
  // Required training by rule: new hires on their first day, renewals before completions run out.
  const trainingRules = startTrainingAssignment({ db: database.db, clock, logger, intervalMs: config.lifecycleCheckIntervalMs });
  await trainingRules.start();
  // Offboardings whose last day has come (and tasks are done) complete on the same beat.
  const workflowChecks = startWorkflowScheduler({ db: database.db, clock, logger, intervalMs: config.lifecycleCheckIntervalMs });

  const server = await createPeopleServer({
    database,
    clock,
    logger,
    production: config.environment === 'production',
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    authentication,
    auth: config.auth,
    graphql: config.graphql,
    certifications: config.certifications,
    corsOrigins: config.corsOrigins,
    defend: config.defend,
    outbox: dispatcher,
    systemTasks,
    metricsToken: config.metricsToken,
    tracing,
    integrations: { settings: integrationSettings(config, secrets) },
    legal,
  });
  // The port was free a moment ago; should another program have taken it since, say so plainly.
  let url: string;
  try {
    url = await server.listen(config.port, config.host);
  } catch (error) {
    await Promise.all([lifecycle.stop(), workflowChecks.stop(), trainingRules.stop(), dispatcher.stop(), systemTasks.stop(), legalSync.stop()]);
    await database.close();
    throw new StartupError(explainListenFailure(error, config.port, config.host));
  }
  const address = server.httpServer.address();
  lock?.recordPort(typeof address === 'object' && address !== null ? address.port : config.port);
  logger.info({ url: `${url}/graphql` }, 'People is listening');
  // One readable line: which integrations are configured and which are not (and what to set).
  const integrationsAtStart = describeConfiguration(integrationSettings(config, secrets));
  logger.info({ configured: integrationsAtStart.configured, notConfigured: integrationsAtStart.notConfigured }, integrationsAtStart.message);
  // 8 hours, unless HUB_TOKEN_MAX_AGE is shorter (the server would refuse a longer one).
  const devTokenSeconds = Math.min(8 * 3600, config.auth.hubTokenMaxAgeSeconds);
  const token =
    config.environment === 'development' && secrets.ssoSecret
      ? await signHubStyleToken(secrets.ssoSecret, {
          ...developmentAdmin,
          issuer: config.auth.hubIssuer,
          audience: config.auth.hubAudience,
          ttlSeconds: devTokenSeconds,
        })
      : null;
  const lines = ['', 'People is running.', `  GraphQL:  ${url}/graphql`];
  if (config.graphql.explorer) {
    // In the fragment, the token stays in the browser: it is never sent, so no log can hold it.
    lines.push(`  Explorer: ${url}${explorerPath}${token ? `#token=${token}` : ''}`);
  }
  lines.push(`  Health:   ${url}/health`, `  Ready:    ${url}/ready`, `  Metrics:  ${url}/metrics`);
  if (token) {
    lines.push('', `  Dev token (Admin, ${formatDurationSeconds(devTokenSeconds)}; \`npm run token -- --help\` for others):`, `  ${token}`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    try {
      await server.stop();
      await Promise.all([lifecycle.stop(), workflowChecks.stop(), trainingRules.stop(), dispatcher.stop(), systemTasks.stop(), legalSync.stop()]);
      await database.close();
      // The last spans (this shutdown's requests included) are sent before exiting.
      await tracing?.shutdown();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Only once the handlers are in place: a process manager may stop People as soon as it reads
  // that People is up, and a SIGTERM before them killed the process without shutting down.
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  // The cause and the fix, without a stack: these are about the machine, not a bug in People.
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`People failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
