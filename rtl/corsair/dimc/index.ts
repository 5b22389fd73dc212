// The DIMC matrix unit and the block-floating-point converters around it.
export { DimcMatrixUnit, treeLevels, rowSumWidth, type DimcParams } from './matrix-unit.ts';
export { DIMC_REG, DIMC_BIT, CsrBus, WeightPort } from './regs.ts';
export { BfpQuantizer, MX_FP, miniFloatLimits, type BfpQuantizerParams, type MiniFloat, type TieRule } from './bfp-quantizer.ts';
export { IntToFp32, intToFp32, intToFloat, leadingOne, type IntToFp32Params } from './int-to-fp32.ts';
export { DimcBfpUnit, type DimcBfpParams } from './bfp-unit.ts';
export { DimcCluster, type DimcClusterParams } from './cluster.ts';
