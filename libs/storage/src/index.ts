export { FileStorage } from './file.storage';
export { storageKeys } from './storage-keys';
