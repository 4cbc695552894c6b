import { AppError } from '../../shared/app-error';
import { fromRemote, toRemote, validateMapping } from './field-mapping';

describe('CRM field mapping', () => {
  const err = (fn: () => unknown): AppError => {
    try {
      fn();
    } catch (e) {
      return e as AppError;
    }
    throw new Error('no error');
  };

  it('names the unknown customer field in the error', () => {
    const e = err(() => validateMapping({ email: 'Email', shoeSize: 'Shoe_Size__c' }, 'salesforce'));
    expect(e.status).toBe(400);
    expect(e.details).toEqual([{ field: 'fieldMapping.shoeSize', message: expect.stringContaining('is not a customer field') }]);
  });

  it('accepts attributes.<key> and refuses an invalid provider field name', () => {
    expect(validateMapping({ 'attributes.plan': 'Plan__c' }, 'salesforce')).toEqual({ 'attributes.plan': 'Plan__c' });
    expect(err(() => validateMapping({ email: 'Email; DROP' }, 'salesforce')).details).toEqual([{ field: 'fieldMapping.email', message: expect.any(String) }]);
  });

  it('requires email for HubSpot and refuses two fields mapped to one target', () => {
    expect((err(() => validateMapping({ firstName: 'firstname' }, 'hubspot')).details as Array<{ field: string }>)[0].field).toBe('fieldMapping.email');
    expect((err(() => validateMapping({ firstName: 'Name', lastName: 'name' }, 'generic')).details as Array<{ field: string }>)[0].field).toBe('fieldMapping.lastName');
  });

  it('refuses the field reserved for the CustomerIQ id', () => {
    expect((err(() => validateMapping({ externalId: 'CustomerIQ_Id__c' }, 'salesforce', ['CustomerIQ_Id__c'])).details as Array<{ field: string }>)[0].field).toBe('fieldMapping.externalId');
  });

  it('maps both ways, attributes included', () => {
    const mapping = { email: 'Email', firstName: 'FirstName', 'attributes.plan': 'Plan__c' };
    expect(toRemote({ id: 'c1', email: 'a@b.c', firstName: null, attributes: { plan: 'pro' } }, mapping)).toEqual({ Email: 'a@b.c', FirstName: null, Plan__c: 'pro' });
    expect(fromRemote({ email: 'a@b.c', FirstName: '', Plan__c: 'pro', Other: 1 }, mapping)).toEqual({ fields: { email: 'a@b.c', firstName: null }, attributes: { plan: 'pro' } });
  });
});
