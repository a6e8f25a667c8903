// Discovery's address rules are the one policy every fetch on someone else's say-so uses; kept importable from here.
export { classifyAddress, refusalFor, type AddressClass, type AddressPolicy } from '../net/address-policy.ts';
