export { GatewayClient, waitForJob, type ApiResponse, type IngestStatus } from './gateway.client';
