export { createRedis, pingRedis, redisOptions, type RedisRole } from './redis-connection';
export { IngestJobName, QueueName } from './queue-names';
