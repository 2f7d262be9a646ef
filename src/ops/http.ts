import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Db, pingDatabase } from '../../db/client.js';
import type { ChatAdapter } from '../domain/ports.js';
import { registry } from './metrics.js';

/** A route in the shape Bolt's `customRoutes` takes, so Slack's HTTP mode can serve it on its own port. */
export interface OpsRoute {
  path: string;
  method: string;
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface HealthReport {
  ok: boolean;
  database: 'ok' | 'unreachable';
  adapters: Record<string, 'connected' | 'disconnected'>;
  /** What keeps the bot from serving anyone, when that is its set-up rather than a connection. */
  problem?: string;
}

/** Checks what the bot needs to serve: the database answers, and every platform connection is up. */
export async function checkHealth(
  db: Db,
  adapters: ChatAdapter[],
  timeoutMs = 2000,
  problem?: string,
): Promise<HealthReport> {
  const ping = pingDatabase(db);
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const databaseOk = await Promise.race([ping, timeout]);
  const states = Object.fromEntries(
    adapters.map((a) => [a.platform, a.isConnected?.() === false ? 'disconnected' : 'connected'] as const),
  );
  const ok = !problem && databaseOk && Object.values(states).every((s) => s === 'connected');
  return {
    ok,
    database: databaseOk ? 'ok' : 'unreachable',
    adapters: states,
    ...(problem ? { problem } : {}),
  };
}

/** `/healthz` (200 or 503 with a JSON report) and `/metrics` (Prometheus text). */
export function opsRoutes(health: () => Promise<HealthReport>): OpsRoute[] {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: async (_req, res) => {
        const report = await health();
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: async (_req, res) => {
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      },
    },
  ];
}

/** Serves the routes on a port of their own (when Slack's HTTP receiver is not already serving them). */
export function startOpsServer(port: number, routes: OpsRoute[]): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /healthz or /metrics\n');
      return;
    }
    Promise.resolve(route.handler(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
