export {
  GatewayClient,
  waitForJob,
  type ApiResponse,
  type Json,
  type IngestStatus,
} from './gateway.client';
