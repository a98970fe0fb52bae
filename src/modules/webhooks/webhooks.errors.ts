import { defineErrors } from '../../common/errors/domain-error';

/** Errors of the webhooks module; a missing or foreign endpoint or delivery is the common `notFound(type)`. */
export const WebhooksError = defineErrors('WebhooksError', {
  /** The URL is not http(s), carries credentials, or reaches an address the SSRF guard refuses (details.reason). */
  WEBHOOK_URL_FORBIDDEN: [422, 'Webhooks cannot be sent to this URL'],
  UNKNOWN_EVENT_TYPE: [400, 'Not an event type of GET /webhooks/events'],
  ENDPOINT_DISABLED: [409, 'The endpoint is disabled: enable it first'],
  INVALID_NETWORK: [400, 'Not an IPv4 or IPv6 address or CIDR network'],
  NETWORK_ALREADY_ALLOWED: [409, 'That network is already on the list'],
  TOO_MANY_ENDPOINTS: [409, 'An organization has at most 20 webhook endpoints'],
});
