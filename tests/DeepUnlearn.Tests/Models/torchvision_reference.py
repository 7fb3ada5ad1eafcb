#!/usr/bin/python3
"""Golden values for ModelRegistryTests: torchvision's ResNet and VGG-BN state-dict keys, shapes and
parameter counts.

torchvision is not installed on the build machine, so the architectures are restated here with plain
torch.nn, following torchvision/models/resnet.py and vgg.py (module names, registration order, layer
configurations). The C# models are checked against this script's output, never against themselves.

Run with Debian's python (torch 1.13):  /usr/bin/python3 torchvision_reference.py
Prints the resnet18 and vgg11_bn state-dict keys with shapes as C# tuples, then the parameter counts, which must
equal torchvision's published numbers (resnet18 11,689,512; resnet34 21,797,672; resnet50 25,557,032;
vgg11_bn 132,868,840; vgg16_bn 138,365,992).
"""
import torch.nn as nn


def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * 4)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample


class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes=1000):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes))
        return nn.Sequential(*layers)


CFGS = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
}


class VGG(nn.Module):
    def __init__(self, cfg, num_classes=1000):
        super().__init__()
        layers, cin = [], 3
        for v in CFGS[cfg]:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(cin, v, kernel_size=3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
                cin = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(),
            nn.Linear(4096, num_classes))


def count(model):
    return sum(p.numel() for p in model.parameters())


def print_state(title, model):
    print("// %s state dict (%d entries)" % (title, len(model.state_dict())))
    for name, t in model.state_dict().items():
        print('("%s", [%s]),' % (name, ", ".join(str(s) for s in t.shape)))


if __name__ == "__main__":
    r18 = ResNet(BasicBlock, [2, 2, 2, 2])
    print_state("resnet18", r18)
    print_state("vgg11_bn", VGG("A"))
    print("resnet18", count(r18))
    print("resnet34", count(ResNet(BasicBlock, [3, 4, 6, 3])))
    print("resnet50", count(ResNet(Bottleneck, [3, 4, 6, 3])))
    print("vgg11_bn", count(VGG("A")))
    print("vgg16_bn", count(VGG("D")))
