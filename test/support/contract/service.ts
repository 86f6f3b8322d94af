/** The five AEP services, named by the last segment of their base path (`/data/foundation/<service>`). */
export type Service = 'flowservice' | 'schemaregistry' | 'catalog' | 'conversion' | 'import';

export const services: readonly Service[] = ['flowservice', 'schemaregistry', 'catalog', 'conversion', 'import'];

/** Spec file per service, as published in AdobeDocs/experience-platform-apis `static/swagger-specs/`. */
export const specFileByService: Readonly<Record<Service, string>> = {
  flowservice: 'flow-service.yaml',
  schemaregistry: 'schema-registry.yaml',
  catalog: 'catalog.yaml',
  conversion: 'data-prep.yaml',
  import: 'batch-ingestion.yaml',
};
