import { Router, type Request } from 'express';
import { z } from 'zod';
import { authContext, requireScope } from './auth';
import { propertyOptions } from './crm';
import { errorBody, HubSpotApiError, notFoundError, validationError } from './errors';
import { requireObjectType, type ObjectType } from './object-types';
import {
  FIELD_TYPES,
  PROPERTY_NAME_PATTERN,
  PROPERTY_TYPES,
  type PropertyDefinition,
  type PropertyGroup,
} from './properties';
import type { HubSpotStore, Portal } from './store';

/** Properties API v3: read definitions (with options), create custom properties and groups. */

const OptionInput = z.object({
  label: z.string().min(1),
  value: z.string().min(1),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});

const PropertyCreate = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.enum(FIELD_TYPES),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(OptionInput).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
  calculationFormula: z.string().optional(),
  referencedObjectType: z.string().optional(),
});

const PropertyUpdate = PropertyCreate.omit({ name: true, hasUniqueValue: true }).partial();

const GroupCreate = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
});

export function presentProperty(portal: Portal, definition: PropertyDefinition) {
  return {
    name: definition.name,
    label: definition.label,
    type: definition.type,
    fieldType: definition.fieldType,
    description: definition.description,
    groupName: definition.groupName,
    options: propertyOptions(portal, definition).map((option) => ({
      label: option.label,
      value: option.value,
      displayOrder: option.displayOrder,
      hidden: option.hidden,
      ...(option.description === undefined ? {} : { description: option.description }),
    })),
    displayOrder: definition.displayOrder,
    calculated: definition.calculated,
    externalOptions: definition.externalOptions,
    hasUniqueValue: definition.hasUniqueValue,
    hidden: definition.hidden,
    hubspotDefined: definition.hubspotDefined,
    modificationMetadata: {
      archivable: !definition.hubspotDefined,
      readOnlyDefinition: definition.hubspotDefined,
      readOnlyValue: definition.readOnlyValue,
    },
    formField: definition.formField,
    createdAt: definition.createdAt,
    updatedAt: definition.updatedAt,
    archived: definition.archived,
    ...(definition.archived ? { archivedAt: definition.updatedAt } : {}),
  };
}

function presentGroup(group: PropertyGroup) {
  return { ...group };
}

function toOptions(options: z.infer<typeof OptionInput>[] | undefined) {
  return (options ?? []).map((option, index) => ({
    label: option.label,
    value: option.value,
    displayOrder: option.displayOrder ?? index,
    hidden: option.hidden ?? false,
    ...(option.description === undefined ? {} : { description: option.description }),
  }));
}

function requireProperty(portal: Portal, type: ObjectType, name: string): PropertyDefinition {
  const definition = portal.properties[type].get(name);
  if (!definition) throw notFoundError(`Unable to find property ${name} on ${type}.`);
  return definition;
}

export function propertiesRouter(store: HubSpotStore): Router {
  const router = Router();
  const base = '/crm/v3/properties/:objectType';

  const context = (req: Request, access: 'read' | 'write') => {
    const type = requireObjectType(String(req.params.objectType));
    // Reading definitions is allowed with either the schema or the object scope.
    requireScope(
      req,
      access === 'read'
        ? [`crm.schemas.${type}.read`, `crm.objects.${type}.read`]
        : [`crm.schemas.${type}.write`],
    );
    return { type, portal: authContext(req).portal };
  };

  router.get(base, (req, res) => {
    const { type, portal } = context(req, 'read');
    const archived = req.query.archived === 'true';
    const results = [...portal.properties[type].values()]
      .filter((definition) => definition.archived === archived)
      .map((definition) => presentProperty(portal, definition));
    res.json({ results });
  });

  router.get(`${base}/groups`, (req, res) => {
    const { type, portal } = context(req, 'read');
    res.json({ results: [...portal.groups[type].values()].map(presentGroup) });
  });

  router.post(`${base}/groups`, (req, res) => {
    const { type, portal } = context(req, 'write');
    const body = GroupCreate.parse(req.body);
    if (portal.groups[type].has(body.name)) {
      throw new HubSpotApiError(
        409,
        errorBody('OBJECT_ALREADY_EXISTS', `Property group named '${body.name}' already exists.`),
      );
    }
    const group: PropertyGroup = {
      name: body.name,
      label: body.label,
      displayOrder: body.displayOrder ?? -1,
      archived: false,
    };
    portal.groups[type].set(group.name, group);
    res.status(201).json(presentGroup(group));
  });

  router.get(`${base}/:propertyName`, (req, res) => {
    const { type, portal } = context(req, 'read');
    const definition = requireProperty(portal, type, String(req.params.propertyName));
    const archived = req.query.archived === 'true';
    if (definition.archived !== archived) {
      throw notFoundError(`Unable to find property ${definition.name} on ${type}.`);
    }
    res.json(presentProperty(portal, definition));
  });

  router.post(base, (req, res) => {
    const { type, portal } = context(req, 'write');
    const body = PropertyCreate.parse(req.body);
    if (!PROPERTY_NAME_PATTERN.test(body.name)) {
      throw validationError(
        `Property name ${body.name} is invalid: use lower-case letters, digits and underscores, starting with a letter.`,
      );
    }
    if (portal.properties[type].has(body.name)) {
      throw new HubSpotApiError(
        409,
        errorBody('OBJECT_ALREADY_EXISTS', `Property named '${body.name}' already exists.`),
      );
    }
    if (!portal.groups[type].has(body.groupName)) {
      throw validationError(`Property group ${body.groupName} does not exist on ${type}.`);
    }
    if (body.hasUniqueValue && body.type !== 'string' && body.type !== 'number') {
      throw validationError('Only string and number properties can require unique values.');
    }
    const now = store.clock().toISOString();
    const definition: PropertyDefinition = {
      name: body.name,
      label: body.label,
      type: body.type,
      fieldType: body.fieldType,
      groupName: body.groupName,
      description: body.description ?? '',
      options: toOptions(body.options),
      displayOrder: body.displayOrder ?? -1,
      hasUniqueValue: body.hasUniqueValue ?? false,
      hubspotDefined: false,
      calculated: body.fieldType === 'calculation_equation',
      externalOptions: body.externalOptions ?? false,
      hidden: body.hidden ?? false,
      formField: body.formField ?? false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    portal.properties[type].set(definition.name, definition);
    if (definition.hasUniqueValue) portal.tables[type].addUniqueIndex(definition.name);
    res.status(201).json(presentProperty(portal, definition));
  });

  router.patch(`${base}/:propertyName`, (req, res) => {
    const { type, portal } = context(req, 'write');
    const definition = requireProperty(portal, type, String(req.params.propertyName));
    if (definition.hubspotDefined) {
      throw validationError(`${definition.name} is a HubSpot-defined property and is read-only.`);
    }
    const body = PropertyUpdate.parse(req.body);
    if (body.groupName !== undefined && !portal.groups[type].has(body.groupName)) {
      throw validationError(`Property group ${body.groupName} does not exist on ${type}.`);
    }
    if (body.label !== undefined) definition.label = body.label;
    if (body.type !== undefined) definition.type = body.type;
    if (body.fieldType !== undefined) definition.fieldType = body.fieldType;
    if (body.groupName !== undefined) definition.groupName = body.groupName;
    if (body.description !== undefined) definition.description = body.description;
    if (body.options !== undefined) definition.options = toOptions(body.options);
    if (body.displayOrder !== undefined) definition.displayOrder = body.displayOrder;
    if (body.hidden !== undefined) definition.hidden = body.hidden;
    if (body.formField !== undefined) definition.formField = body.formField;
    definition.updatedAt = store.clock().toISOString();
    res.json(presentProperty(portal, definition));
  });

  router.delete(`${base}/:propertyName`, (req, res) => {
    const { type, portal } = context(req, 'write');
    const definition = requireProperty(portal, type, String(req.params.propertyName));
    if (definition.hubspotDefined) {
      throw validationError(
        `${definition.name} is a HubSpot-defined property and can't be archived.`,
      );
    }
    definition.archived = true;
    definition.updatedAt = store.clock().toISOString();
    res.status(204).end();
  });

  return router;
}
