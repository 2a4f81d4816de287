/** Image datasets: loading (mnist, folders, CIFAR-10, NPY), the training view, splits and output. */
export { type ImageDataset, checkImageDataset, imageShape, imageSize } from './imageDataset.js';
export {
  DEQUANTIZE_STREAM,
  PIXEL_LEVELS,
  type DequantizeKey,
  dequantizeAll,
  dequantizeRows,
  pixelsToTraining,
  toPixelLevels,
  toUnitScale,
} from './dequantize.js';
export { pickImages, splitImages } from './imageSplit.js';
export { BYTES_PER_VALUE, checkImageMemory, defaultImageMemoryLimit } from './memoryLimit.js';
export { MNIST_SIDE, loadMnist } from './mnist.js';
export { IMAGE_EXTENSIONS, MAX_IMAGE_SIDE, type ImageFolderOptions, loadImageFolder } from './imageFolder.js';
export { type CifarOptions, type CifarPart, isCifarPath, loadCifar } from './cifar.js';
export { type NpyImageOptions, decodeNpyImages, readNpyImages } from './npyImages.js';
export { type GridOptions, type ImageShape, encodeImageGrid, gridPixels, writeImageGrid, writeImagesNpy } from './imageOutput.js';
export {
  DEFAULT_FOLDER_SIZE,
  MNIST_SPEC,
  type ImageDatasetOptions,
  isImageDatasetSpec,
  loadImageDataset,
  npyRank,
} from './loadImageDataset.js';
