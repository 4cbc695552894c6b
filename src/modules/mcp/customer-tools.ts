import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AuthPrincipal } from '../../infra/auth';
import { validateDto } from '../../infra/http/validation';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CreateCustomerDto, CUSTOMER_STATUSES, CUSTOMER_TYPES, ListCustomersQueryDto, toCustomerDto, UpdateCustomerDto } from '../customers';
import { EVENT_TYPES } from '../events';
import { HEALTH_BANDS } from '../health-score';
import { CreateNoteDto, NOTE_TYPES, toNoteDto } from '../notes';
import type { McpServices } from './mcp-services';
import { addTool, defined, runTool } from './mcp-tool-result';

const customerId = z.string().uuid().describe('Customer id (UUID) from search_customers');
const str = (d: string) => z.string().optional().describe(d);
const nullableStr = (d: string) => z.string().nullable().optional().describe(`${d}; null clears it`);
// Zod checks the types; the REST DTOs behind create and update hold the rules (email format, phone, lengths).
const kindFields = {
  type: z.enum(CUSTOMER_TYPES).optional(),
  status: z.enum(CUSTOMER_STATUSES).optional(),
  tags: z.array(z.string()).max(50).optional(),
  attributes: z.record(z.unknown()).optional().describe('Free-form JSON object, at most 16 KB'),
};

/** Customer tools: search, create, update, notes and events, through the services the REST API uses. */
export function registerCustomerTools(server: McpServer, s: McpServices, p: AuthPrincipal): void {
  addTool(server, 'search_customers', {
    description: 'Search the customers of your tenant by text (name, email, phone, company, external id) and filters; newest first or by relevance.',
    input: z.object({
      query: z.string().min(1).max(200).optional().describe('Free text; prefix and typo tolerant'),
      status: z.array(z.enum(CUSTOMER_STATUSES)).optional(),
      band: z.array(z.enum(HEALTH_BANDS)).optional().describe('Current health band'),
      tags: z.array(z.string()).max(20).optional(),
      limit: z.number().int().min(1).max(100).optional().describe('Page size, default 20'),
      cursor: z.string().optional().describe('page.nextCursor of the previous answer'),
    }),
    readOnly: true,
  }, (a) => runTool(p, 'search_customers', 'viewer', async () => {
    const q = await validateDto(ListCustomersQueryDto, defined({ q: a.query, status: a.status, band: a.band, tags: a.tags, limit: a.limit, cursor: a.cursor }));
    const page = await s.customers.list(p.tenantId, q);
    return { data: page.data.map(toCustomerDto), page: page.page };
  }));

  addTool(server, 'create_customer_profile', {
    description: 'Create a customer profile. Needs the agent role or higher.',
    input: z.object({
      email: str('Email address'), phone: str('Phone number with country code, e.g. +14155550123'), firstName: str('First name'),
      lastName: str('Last name'), companyName: str('Company name'), externalId: str('Your id for the customer (unique per tenant)'),
      source: str('Where the profile came from'), ...kindFields,
    }),
  }, (a) => runTool(p, 'create_customer_profile', 'agent', async () =>
    toCustomerDto(await s.customers.create(p.tenantId, await validateDto(CreateCustomerDto, defined(a))))));

  addTool(server, 'update_customer', {
    description: 'Change fields of a customer profile (null clears a nullable field). Needs the agent role or higher.',
    input: z.object({
      customerId,
      email: nullableStr('Email address'), phone: nullableStr('Phone number with country code'), firstName: nullableStr('First name'),
      lastName: nullableStr('Last name'), companyName: nullableStr('Company name'), externalId: nullableStr('Your id for the customer'),
      source: nullableStr('Where the profile came from'), ...kindFields,
      version: z.number().int().min(1).optional().describe('The version you read; a stale one is refused'),
    }),
  }, ({ customerId: id, ...fields }) => runTool(p, 'update_customer', 'agent', async () =>
    toCustomerDto(await s.customers.update(p.tenantId, id, await validateDto(UpdateCustomerDto, defined(fields))))));

  addTool(server, 'add_note', {
    description: 'Add a note to a customer (pinned notes are shown first). Needs the agent role or higher.',
    input: z.object({ customerId, type: z.enum(NOTE_TYPES), body: z.string().describe('The note, 1-10000 characters'), pinned: z.boolean().optional() }),
  }, ({ customerId: id, ...fields }) => runTool(p, 'add_note', 'agent', async () =>
    toNoteDto(await s.notes.create(p, id, await validateDto(CreateNoteDto, defined(fields))))));

  addTool(server, 'record_event', {
    description: 'Record something that happened to a customer, as POST /events does. data by type: purchase {orderId, amount, currency?}; ' +
      'refund {orderId, amount}; support_ticket {ticketId, subject, severity, status}; contact {channel, direction, summary?}; note {text}; ' +
      'usage {apiCalls}; login {}; custom {name, properties?}. Needs the agent role or higher.',
    input: z.object({
      customerId: z.string().min(1).max(200).describe('Customer id (UUID) or your external id'),
      type: z.enum(EVENT_TYPES),
      data: z.record(z.unknown()).optional().describe('Event data, by type (see the description)'),
      occurredAt: z.string().optional().describe('ISO 8601, default now'),
      eventId: z.string().min(1).max(200).optional().describe('Your id for the event; the same id twice is recorded once'),
      source: z.string().max(100).optional(),
    }),
  }, (a) => runTool(p, 'record_event', 'agent', async () => {
    const envelope = defined({ id: a.eventId, type: a.type, customer_id: a.customerId, occurred_at: a.occurredAt, source: a.source, data: a.data ?? {} });
    const [outcome] = await s.ingest.ingestEnvelopes(p.tenantId, [envelope]);
    if (outcome.status === 'rejected') throw new AppError(outcome.error.code, outcome.error.message, outcome.error.details);
    if (outcome.status === 'failed') throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, `The event could not be stored, retry: ${outcome.error}`);
    return outcome;
  }));
}
