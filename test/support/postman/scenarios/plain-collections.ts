import type { Scenario } from '../plain-collection.js';
import { catalogScenarios } from './catalog-scenarios.js';
import { dataPrepScenarios } from './dataprep-scenarios.js';
import { flowServiceScenarios } from './flowservice-scenarios.js';
import { ingestionScenarios } from './ingestion-scenarios.js';
import { registryScenarios } from './registry-scenarios.js';

/** Adobe's per-API collections the suite sends, each with the scenario of every request. */
export const plainCollections: [string, Record<string, Scenario>][] = [
  ['Catalog Service API.postman_collection.json', catalogScenarios],
  ['Flow Service API.postman_collection.json', flowServiceScenarios],
  ['Schema Registry API.postman_collection.json', registryScenarios],
  ['Data Ingestion API.postman_collection.json', ingestionScenarios],
  ['Data Prep API.postman_collection.json', dataPrepScenarios],
];
